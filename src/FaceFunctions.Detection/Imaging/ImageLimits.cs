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

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value that makes no sense.</summary>
    public ImageLimits Validate() => OptionsValidation.ThrowIfInvalid(this);
}
