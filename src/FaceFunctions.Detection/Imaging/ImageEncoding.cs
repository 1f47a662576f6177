using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Writes crops, previews and anonymised copies, as JPEG or PNG only (never TIFF, see SECURITY.md).
/// Images from <see cref="SafeImageLoader"/> carry no metadata, so nothing of the upload is written back:
/// in particular no orientation tag, which would turn the already upright pixels a second time.
/// </summary>
public static class ImageEncoding
{
    public const int DefaultJpegQuality = 90;

    // Full-resolution chroma: 4:2:0 smears the one-pixel coloured lines of previews and blurs 112 px crops.
    private static readonly JpegEncoder Jpeg = CreateJpeg(DefaultJpegQuality);

    private static readonly PngEncoder Png = new()
    {
        ColorType = PngColorType.Rgb,
        BitDepth = PngBitDepth.Bit8,
        IgnoreMetadata = true,
    };

    public static void WriteJpeg(Image image, Stream destination, int quality = DefaultJpegQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Save(destination, JpegFor(quality));
    }

    public static Task WriteJpegAsync(Image image, Stream destination, int quality = DefaultJpegQuality, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.SaveAsync(destination, JpegFor(quality), cancellationToken);
    }

    public static void WritePng(Image image, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Save(destination, Png);
    }

    public static Task WritePngAsync(Image image, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.SaveAsync(destination, Png, cancellationToken);
    }

    /// <summary>Writes a .jpg/.jpeg or .png file, chosen by the path's extension.</summary>
    public static void Save(Image image, string path, int jpegQuality = DefaultJpegQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        IImageEncoder encoder = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => JpegFor(jpegQuality),
            ".png" => Png,
            var other => throw new ArgumentException($"Images are written as .jpg, .jpeg or .png, not '{other}'.", nameof(path)),
        };
        image.Save(path, encoder);
    }

    private static JpegEncoder JpegFor(int quality)
    {
        if (quality is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be between 1 and 100.");
        }

        return quality == DefaultJpegQuality ? Jpeg : CreateJpeg(quality);
    }

    private static JpegEncoder CreateJpeg(int quality) => new() { Quality = quality, ColorType = JpegColorType.YCbCrRatio444 };
}
