using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Writes crops, previews and anonymised copies, as JPEG or PNG only (never TIFF, see SECURITY.md).
/// Images from <see cref="SafeImageLoader"/> carry no metadata, so nothing of the upload is written back:
/// in particular no orientation tag, which would turn the already upright pixels a second time.
/// </summary>
internal static class ImageEncoding
{
    // Quality 90 and full-resolution chroma: 4:2:0 smears the one-pixel coloured lines of previews and blurs 112 px crops.
    private static readonly JpegEncoder Jpeg = new() { Quality = 90, ColorType = JpegColorType.YCbCrRatio444 };

    private static readonly PngEncoder Png = new()
    {
        ColorType = PngColorType.Rgb,
        BitDepth = PngBitDepth.Bit8,
        IgnoreMetadata = true,
    };

    public static void WriteJpeg(Image image, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Save(destination, Jpeg);
    }

    public static void WritePng(Image image, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Save(destination, Png);
    }

}
