using System.ComponentModel.DataAnnotations;

namespace FaceFunctions.Detection;

/// <summary>
/// What the MTCNN cascade looks for. Defaults are those of the MTCNN authors; the ranges on the properties are
/// the only place they are written (the CLI's options and the app's "Detection" settings are checked against them).
/// </summary>
public sealed record DetectionOptions
{
    public static DetectionOptions Default { get; } = new();

    /// <summary>Smallest face, in pixels of the upright image, the pyramid is built to find (MTCNN's smallest window is 12).</summary>
    [Range(12, 100_000, ErrorMessage = "{0} must be from {1} to {2} pixels (MTCNN's smallest window is 12).")]
    public int MinFaceSize { get; init; } = 20;

    /// <summary>Ratio between consecutive pyramid levels.</summary>
    [Range(0.1, 0.95, MinimumIsExclusive = true, MaximumIsExclusive = true, ErrorMessage = "{0} must be between {1} and {2} (exclusive).")]
    public float ScaleFactor { get; init; } = 0.709f;

    [Range(0.0, 1.0, ErrorMessage = "{0} must be a probability from {1} to {2}.")]
    public float PNetThreshold { get; init; } = 0.6f;

    [Range(0.0, 1.0, ErrorMessage = "{0} must be a probability from {1} to {2}.")]
    public float RNetThreshold { get; init; } = 0.7f;

    [Range(0.0, 1.0, ErrorMessage = "{0} must be a probability from {1} to {2}.")]
    public float ONetThreshold { get; init; } = 0.7f;

    /// <summary>How R-Net and O-Net see the part of a candidate box that lies outside the photo.</summary>
    [EnumDataType(typeof(CropBorder), ErrorMessage = "{0} must be Zero or Clamp.")]
    public CropBorder Border { get; init; } = CropBorder.Zero;

    /// <summary>At most this many faces are returned (the highest scores); 0 means no limit.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "{0} must be 0 (no limit) or positive.")]
    public int MaxFaces { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value that makes no sense.</summary>
    public DetectionOptions Validate() => OptionsValidation.ThrowIfInvalid(this);
}

/// <summary>What fills the part of an R-Net or O-Net crop that lies outside the photo.</summary>
public enum CropBorder
{
    /// <summary>Black pixels, keeping the box's shape: what the MTCNN authors' code does (the default).</summary>
    Zero,

    /// <summary>
    /// Only the part inside the photo, stretched to the network's input: what facenet-pytorch does. Choose it
    /// to reproduce facenet-pytorch's detections exactly.
    /// </summary>
    Clamp,
}
