using System.ComponentModel.DataAnnotations;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// What <see cref="SafeImageLoader"/> accepts. Every limit is checked before the pixels are decoded:
/// bytes while the upload is read, dimensions from the image header.
/// </summary>
public sealed record ImageLimits
{
    public const long DefaultMaxBytes = 50L * 1024 * 1024;
    public const long DefaultMaxPixels = 100_000_000;
    public const int DefaultMaxDimension = 32_768;
    public const int DefaultAllocatorPoolMegabytes = 64;
    public const int DefaultMaxJpegScans = 100;
    public const int DefaultMinBytesPerMegapixel = 512;
    public const int DefaultMemoryBudgetMegabytes = 1_536;

    public static ImageLimits Default { get; } = new();

    /// <summary>Largest encoded file, in bytes. Counted while reading: a stream's claimed length is not trusted.</summary>
    // The whole upload is held in one byte array, so it must fit in one (Array.MaxLength is 2,147,483,591).
    [Range(1L, 2_147_483_590L, ErrorMessage = "{0} must be from {1} to {2} bytes.")]
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Largest width × height the header may declare.</summary>
    // An Rgba32 buffer of MaxPixels must stay addressable by ImageSharp's int-sized allocations: int.MaxValue / 4.
    [Range(1L, 536_870_911L, ErrorMessage = "{0} must be from {1} to {2} pixels.")]
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>Largest width or height on its own, so a 1 × 100M strip cannot pass the pixel limit.</summary>
    [Range(1, 65_535, ErrorMessage = "{0} must be from {1} to {2} pixels (the JPEG maximum).")]
    public int MaxDimension { get; init; } = DefaultMaxDimension;

    /// <summary>
    /// How much decoded-pixel memory ImageSharp may keep pooled between photos. Memory above this is
    /// returned to the OS after each photo, so a burst of large uploads does not pin the peak for ever.
    /// </summary>
    [Range(0, 16_384, ErrorMessage = "{0} must be from {1} to {2} MB.")]
    public int AllocatorPoolMegabytes { get; init; } = DefaultAllocatorPoolMegabytes;

    /// <summary>
    /// Most scans (SOS markers) a JPEG may have. A progressive JPEG from libjpeg, mozjpeg or a camera has at most a
    /// few dozen; each scan makes the decoder visit every block of its components again, so thousands of tiny
    /// scans buy seconds of CPU for a few bytes each (docs/reliability.md has the measurements). Counted from the
    /// markers before decoding. From 1 to 10,000.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "{0} must be from {1} to {2}.")]
    public int MaxJpegScans { get; init; } = DefaultMaxJpegScans;

    /// <summary>
    /// Fewest encoded bytes per declared megapixel. Decoding cost follows the declared pixels, not the upload's
    /// size, so a few hundred bytes declaring 100 megapixels would buy a full-size decode (seconds of CPU,
    /// hundreds of MB). Real photos, even of a cloudless sky, need far more: docs/reliability.md has the
    /// measured bytes per megapixel of flat, smooth and noisy 12-megapixel pictures in every format; the least a
    /// noisy sky took was 3,137 (lossy WebP), a noiseless gradient 879 (lossless WebP), so 512 refuses only
    /// near-blank pictures. Checked from the header, before decoding. From 0 (off) to 100,000.
    /// </summary>
    [Range(0, 100_000, ErrorMessage = "{0} must be from {1} (off) to {2}.")]
    public int MinBytesPerMegapixel { get; init; } = DefaultMinBytesPerMegapixel;

    /// <summary>
    /// Memory, in MB (MiB), that the photos one process analyses at once may need together. Before a photo is
    /// decoded its need is estimated from the header (docs/reliability.md, "Memory admission": the encoded bytes
    /// held plus a measured cost per declared pixel for its format plus a constant); it waits until that much is
    /// free and holds it until its crops and previews are encoded. A photo whose estimate alone is larger is
    /// refused as TooLarge. 0 turns admission off (only the count limits in front of the pipeline apply).
    /// The default is for a 2,048-MB Flex Consumption instance: 2,048 less 512 MB the budget does not cover. Of those,
    /// 87 MB are the process with no photo in flight (runtime, ONNX Runtime sessions, the models: the peak resident
    /// set of <c>facefunctions detect</c> on an empty file, the same code the worker runs); 192 MB are two uploads
    /// being read or waiting for admission (each buffer up to <see cref="MaxBytes"/> rounded up to a power of two,
    /// 64 MiB, plus the 32 MiB it outgrew; two is the default MaxConcurrentDetections); about 230 MB are left for the
    /// Functions host process and the worker's own packages, which cannot be measured here. The estimates count per
    /// photo what is really shared by the process (see PhotoMemoryEstimate), which is further margin. For a
    /// 4,096-MB instance, 3,584 (4,096 less the same 512). From 0 (off) to 1,048,576 (1 TiB).
    /// </summary>
    [Range(0, 1_048_576, ErrorMessage = "{0} must be from {1} (off) to {2} MB.")]
    public int MemoryBudgetMegabytes { get; init; } = DefaultMemoryBudgetMegabytes;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value that makes no sense.</summary>
    public ImageLimits Validate() => OptionsValidation.ThrowIfInvalid(this);
}
