using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>Image format of the aligned face crops.</summary>
public enum CropFormat
{
    Jpeg,
    Png,
}

/// <summary>Everything that shapes how a photo is processed, shared by the CLI and the function app.</summary>
public sealed record PipelineSettings
{
    public DetectorSettings Detector { get; init; } = new();

    public DetectionOptions Detection { get; init; } = DetectionOptions.Default;

    public ImageLimits Limits { get; init; } = new();

    /// <summary>Where the three ONNX models are; null means <c>models/</c> beside the application.</summary>
    public string? ModelsDirectory { get; init; }

    public bool WriteCrops { get; init; } = true;

    /// <summary>Side of the square aligned crop in pixels; the 112-pixel ArcFace template is scaled to it.</summary>
    public int CropSize { get; init; } = 112;

    public CropFormat CropFormat { get; init; } = CropFormat.Jpeg;

    /// <summary>Also render the photo with boxes, scores and landmarks drawn.</summary>
    public bool Annotate { get; init; }

    /// <summary>Also render a privacy copy of the photo with every detected face blurred.</summary>
    public bool Anonymize { get; init; }

    public PipelineSettings Validate()
    {
        Detector.Validate();
        Detection.Validate();
        if (CropSize < 16 || CropSize > 1024)
        {
            throw new ArgumentException($"CropSize must be between 16 and 1024 pixels, not {CropSize}.", nameof(CropSize));
        }

        return this;
    }
}
