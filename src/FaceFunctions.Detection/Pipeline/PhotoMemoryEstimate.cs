using FaceFunctions.Detection.Imaging;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>
/// How much memory analysing one photo adds to the process at its peak, from what its header declares, before a
/// pixel is decoded: the encoded bytes already held, plus a cost per declared pixel for its format and pixel layout,
/// plus a constant. Fitted, with a margin, to the peak resident set of <c>facefunctions detect</c> on one photo per
/// process above that of a process that analysed none (tests/tools/measure-memory.sh; the table is in
/// docs/reliability.md, "Memory admission"): every measured photo's estimate is above what it really added.
/// </summary>
internal static class PhotoMemoryEstimate
{
    private const long MiB = 1024 * 1024;

    /// <summary>
    /// What a photo costs whatever its size: ONNX Runtime's activations for P-Net tiles and R-Net/O-Net batches, the
    /// pooled pixel memory ImageSharp keeps (64 MiB), the garbage collector's growth. Measured, the fitted lines of
    /// peak against pixels meet zero pixels 145–190 MiB above an idle process. Much of it is the process's rather than
    /// each photo's (two 12-megapixel photos at once, with previews, peaked 88 MiB above one), so counting it per
    /// photo is on the safe side; 224 leaves every measured photo at least 40 MiB of margin.
    /// </summary>
    internal const long PerPhotoBytes = 224 * MiB;

    /// <summary>
    /// Bytes per pixel while a photo is turned upright by its EXIF orientation: ImageSharp rotates into a new buffer,
    /// so the decoded Rgb24 pixels and their turned copy exist together (3 + 3), after the decoder's own buffers are
    /// gone. Not measured (none of the measured photos carries an orientation): the two copies plus a margin.
    /// </summary>
    private const double TurnedBytesPerPixel = 7;

    /// <summary>
    /// Bytes per pixel while a preview is rendered: the photo and its full-size copy in Rgb24 (3 + 3) and the JPEG
    /// encoder's output growing in a MemoryStream. Measured 7.8 (PNG) and 8.5 (JPEG) with both previews.
    /// </summary>
    private const double PreviewBytesPerPixel = 9;

    public static long Bytes(InspectedUpload upload, OutputOptions output)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return Bytes(upload.Format, upload.BitsPerPixel, upload.Orientation, upload.Pixels, upload.BytesHeld, output);
    }

    /// <summary>
    /// The estimate for <paramref name="pixels"/> declared in <paramref name="format"/> with an EXIF
    /// <paramref name="orientation"/> (1 when none), holding <paramref name="bytesHeld"/>.
    /// </summary>
    public static long Bytes(string format, int bitsPerPixel, int orientation, long pixels, long bytesHeld, OutputOptions output)
    {
        ArgumentNullException.ThrowIfNull(output);
        // Decoding, turning upright and rendering previews happen one after the other, each after the previous one's
        // buffers are gone: the peak is that of the most expensive phase, not their sum.
        double perPixel = DecodeBytesPerPixel(format, bitsPerPixel);
        if (orientation != 1)
        {
            perPixel = Math.Max(perPixel, TurnedBytesPerPixel);
        }

        if (output.WriteAnnotated || output.WriteAnonymized)
        {
            perPixel = Math.Max(perPixel, PreviewBytesPerPixel);
        }

        return bytesHeld + (long)Math.Ceiling(pixels * perPixel) + PerPhotoBytes;
    }

    /// <summary>
    /// Bytes per declared pixel while decoding and detecting: the decoder's own pixels and buffers, the Rgb24 copy
    /// the detector reads (3), rounded up from the measured slopes of peak against pixels (docs/reliability.md):
    /// JPEG 5.0–5.5 (baseline, progressive, 4:2:0, 4:4:4, grey), PNG 3.2–5.7 up to 8 bits a channel, 7.1 for 16-bit
    /// RGB and 13.2 for 16-bit RGBA (decoded at 8 bytes a pixel, then converted to Rgba32 and flattened), GIF 4.9
    /// (Rgba32, then Rgb24), WebP 9.0 (lossless; lossy less). BMP was measured at 12 megapixels only (larger
    /// uncompressed files exceed the byte limit), where it needed 7.3 besides the constant.
    /// </summary>
    private static double DecodeBytesPerPixel(string format, int bitsPerPixel) => format switch
    {
        "jpeg" => 6,
        "png" when bitsPerPixel > 48 => 14,
        "png" when bitsPerPixel > 32 => 8,
        "png" => 6,
        "gif" => 6,
        "bmp" => 8,
        _ => 10,
    };
}
