using System.ComponentModel.DataAnnotations;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>Image format of the aligned face crops.</summary>
public enum CropFormat
{
    Jpeg,
    Png,
}

/// <summary>
/// What the pipeline produces besides the detection document. The function app binds it from its "FaceFunctions"
/// settings (<c>FaceFunctions__CropSize</c>, <c>FaceFunctions__WriteAnnotated</c>, ...), so the names are theirs.
/// </summary>
public sealed record OutputOptions
{
    /// <summary>Write one aligned crop per face.</summary>
    public bool WriteCrops { get; init; } = true;

    /// <summary>Side of the square aligned crop in pixels; the 112-pixel ArcFace template is scaled to it.</summary>
    [Range(16, 1024, ErrorMessage = "{0} must be from {1} to {2} pixels.")]
    public int CropSize { get; init; } = 112;

    [EnumDataType(typeof(CropFormat), ErrorMessage = "{0} must be Jpeg or Png.")]
    public CropFormat CropFormat { get; init; } = CropFormat.Jpeg;

    /// <summary>Also render the photo with boxes, scores and landmarks drawn.</summary>
    public bool WriteAnnotated { get; init; }

    /// <summary>Also render a privacy copy of the photo with every detected face blurred.</summary>
    public bool WriteAnonymized { get; init; }

    public OutputOptions Validate() => OptionsValidation.ThrowIfInvalid(this);
}
