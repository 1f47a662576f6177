namespace FaceFunctions.Detection;

/// <summary>Tunable parameters of the MTCNN cascade. Defaults are those of the MTCNN authors.</summary>
public sealed record DetectionOptions
{
    public static DetectionOptions Default { get; } = new();

    /// <summary>Smallest face, in pixels of the upright image, the pyramid is built to find.</summary>
    public int MinFaceSize { get; init; } = 20;

    /// <summary>Ratio between consecutive pyramid levels.</summary>
    public float ScaleFactor { get; init; } = 0.709f;

    public float PNetThreshold { get; init; } = 0.6f;

    public float RNetThreshold { get; init; } = 0.7f;

    public float ONetThreshold { get; init; } = 0.7f;

    /// <summary>How R-Net and O-Net see the part of a candidate box that lies outside the photo.</summary>
    public CropBorder Border { get; init; } = CropBorder.Zero;

    /// <summary>At most this many faces are returned (the highest scores); 0 means no limit.</summary>
    public int MaxFaces { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value that makes no sense.</summary>
    public DetectionOptions Validate()
    {
        if (MinFaceSize < 12 || MinFaceSize > 100_000)
        {
            throw new ArgumentException($"MinFaceSize must be between 12 and 100000 pixels (MTCNN's smallest window is 12), not {MinFaceSize}.", nameof(MinFaceSize));
        }

        if (!(ScaleFactor > 0.1f && ScaleFactor < 0.95f))
        {
            throw new ArgumentException($"ScaleFactor must be between 0.1 and 0.95 (exclusive), not {ScaleFactor}.", nameof(ScaleFactor));
        }

        CheckThreshold(PNetThreshold, nameof(PNetThreshold));
        CheckThreshold(RNetThreshold, nameof(RNetThreshold));
        CheckThreshold(ONetThreshold, nameof(ONetThreshold));
        if (!Enum.IsDefined(Border))
        {
            throw new ArgumentException($"Border must be Zero or Clamp, not {Border}.", nameof(Border));
        }

        if (MaxFaces < 0)
        {
            throw new ArgumentException($"MaxFaces must be 0 (no limit) or positive, not {MaxFaces}.", nameof(MaxFaces));
        }

        return this;
    }

    private static void CheckThreshold(float value, string name)
    {
        if (!(value >= 0f && value <= 1f))
        {
            throw new ArgumentException($"{name} must be a probability between 0 and 1, not {value}.", name);
        }
    }
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
