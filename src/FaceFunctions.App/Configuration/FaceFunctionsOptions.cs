namespace FaceFunctions.App.Configuration;

/// <summary>
/// The "FaceFunctions" settings: where photos and results live and how much work one instance takes on.
/// Values are nullable so that a missing setting is told apart from a zero and reported by name.
/// </summary>
public sealed class FaceFunctionsOptions
{
    public string? PhotosContainer { get; set; }

    public string? DetectionsContainer { get; set; }

    public string? FacesContainer { get; set; }

    public string? AnnotatedContainer { get; set; }

    public string? AnonymizedContainer { get; set; }

    public bool? WriteAnnotated { get; set; }

    public bool? WriteAnonymized { get; set; }

    /// <summary>Photos detected at the same time in one instance: bounds memory (decoded pixels, crops).</summary>
    public int? MaxConcurrentDetections { get; set; }

    /// <summary>Side of the square aligned crops, in pixels (112 matches the ArcFace template).</summary>
    public int? CropSize { get; set; }
}

/// <summary>The "Detection" settings.</summary>
public sealed class DetectionSettings
{
    /// <summary>auto, cpu or cuda.</summary>
    public string? ExecutionProvider { get; set; }

    public int? MinFaceSize { get; set; }
}

/// <summary>The "ImageLimits" settings: checked from the image header before any pixel is decoded.</summary>
public sealed class ImageLimitsSettings
{
    public long? MaxBytes { get; set; }

    public long? MaxPixels { get; set; }
}
