using System.ComponentModel.DataAnnotations;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>Where and how the networks run: which execution provider, and how many threads one detection may use.</summary>
public sealed record InferenceOptions
{
    [EnumDataType(typeof(ExecutionProvider), ErrorMessage = "{0} must be auto, cpu or cuda.")]
    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Auto;

    /// <summary>Threads one detection may use; 0 = one per core. Every thread the detector runs counts against it.</summary>
    [Range(0, 1024, ErrorMessage = "{0} must be from {1} (one per core) to {2}.")]
    public int Threads { get; init; }

    /// <summary>
    /// Upper bound on the pixels of one P-Net call. Large pyramid levels are scanned in overlapping row tiles of
    /// this size, so P-Net's activations (10–32 float channels per input pixel) stop growing with the photo.
    /// 128 K pixels keeps `detect` on a 12-megapixel photo under 350 MB and was no slower than larger tiles
    /// (docs/performance.md).
    /// </summary>
    [Range(64 * 64, int.MaxValue, ErrorMessage = "{0} must be at least {1}.")]
    public int PNetTilePixels { get; init; } = 1 << 17;

    /// <summary>
    /// Gather R-Net and O-Net crops from the photos detected at the same moment into shared network calls.
    /// Null (the default) turns it on exactly when the networks run on CUDA, where small batches leave the GPU idle.
    /// </summary>
    public bool? BatchAcrossPhotos { get; init; }

    /// <summary>How long the first crops of a shared batch wait for other photos' crops.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01", ErrorMessage = "{0} must be from {1} to {2}.")]
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(2);

    internal int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;

    public InferenceOptions Validate() => OptionsValidation.ThrowIfInvalid(this);
}
