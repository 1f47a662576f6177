namespace FaceFunctions.Detection.Mtcnn;

/// <summary>How the detector is hosted: which execution provider, and how many threads it may use.</summary>
public sealed record DetectorSettings
{
    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Auto;

    /// <summary>Threads one detection may use; 0 = one per core. Every thread the detector runs counts against it.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Upper bound on the pixels of one P-Net call. Large pyramid levels are scanned in overlapping row tiles of
    /// this size, so P-Net's activations (10–32 float channels per input pixel) stop growing with the photo.
    /// 128 K pixels keeps `detect` on a 12-megapixel photo under 350 MB and was no slower than larger tiles
    /// (docs/performance.md).
    /// </summary>
    public int PNetTilePixels { get; init; } = 1 << 17;

    /// <summary>
    /// Gather R-Net and O-Net crops from the photos detected at the same moment into shared network calls.
    /// Null (the default) turns it on exactly when the networks run on CUDA, where small batches leave the GPU idle.
    /// </summary>
    public bool? BatchAcrossPhotos { get; init; }

    /// <summary>How long the first crops of a shared batch wait for other photos' crops.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(2);

    public DetectorSettings Validate()
    {
        if (Threads < 0 || Threads > 1024)
        {
            throw new ArgumentException($"Threads must be between 0 (one per core) and 1024, not {Threads}.", nameof(Threads));
        }

        if (PNetTilePixels < 64 * 64)
        {
            throw new ArgumentException($"PNetTilePixels must be at least {64 * 64}, not {PNetTilePixels}.", nameof(PNetTilePixels));
        }

        if (BatchWindow < TimeSpan.Zero || BatchWindow > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"BatchWindow must be between 0 and 1 second, not {BatchWindow}.", nameof(BatchWindow));
        }

        return this;
    }

    internal int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;
}
