using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// The only ImageSharp <see cref="Configuration"/> FaceFunctions decodes with (SECURITY.md explains why):
/// JPEG, PNG, WebP, BMP and GIF only (no TIFF, TGA or any other format ImageSharp knows), every decoder
/// told to ignore metadata (so no ICC profile or EXIF block is ever parsed by ImageSharp), GIF limited to
/// its first frame, and an allocator that refuses any single buffer larger than the pixel limit needs.
/// </summary>
internal static class RestrictedConfiguration
{
    /// <summary>Bytes per pixel of the widest buffer a decode legitimately needs (Rgba32).</summary>
    private const int WidestPixelBytes = 4;

    public static Configuration Create(ImageLimits limits)
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new WebpConfigurationModule(),
            new BmpConfigurationModule(),
            new GifConfigurationModule());

        ImageFormatManager formats = configuration.ImageFormatsManager;
        formats.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        formats.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        formats.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        formats.SetDecoder(BmpFormat.Instance, new BmpDecoder());
        formats.SetDecoder(GifFormat.Instance, new GifDecoder
        {
            IgnoreMetadata = true,
            DecodingMode = FrameDecodingMode.First,
            MaxFrames = 1,
        });

        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
        {
            MaximumPoolSizeMegabytes = limits.AllocatorPoolMegabytes,
            AllocationLimitMegabytes = (int)(LargestBufferBytes(limits) / (1024 * 1024)),
        });
        return configuration;
    }

    /// <summary>
    /// The largest single buffer the allocator hands out: Rgba32 pixels at the pixel limit, plus headroom for
    /// decoder scratch buffers (row padding, JPEG component blocks).
    /// </summary>
    public static long LargestBufferBytes(ImageLimits limits) => (limits.MaxPixels * WidestPixelBytes) + (64L * 1024 * 1024);

    /// <summary>The lower-case name FaceFunctions reports for a format this configuration decodes.</summary>
    public static string NameOf(IImageFormat format) => format switch
    {
        JpegFormat => "jpeg",
        PngFormat => "png",
        WebpFormat => "webp",
        BmpFormat => "bmp",
        GifFormat => "gif",
        _ => format.Name.ToLowerInvariant(),
    };
}
