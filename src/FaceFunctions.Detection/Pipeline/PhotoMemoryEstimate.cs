using FaceFunctions.Detection.Imaging;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>
/// How much memory analysing one photo takes at its peak, from what its header declares, before a pixel is
/// decoded: the encoded bytes already held, plus a cost per declared pixel for its format and pixel layout, plus
/// a constant. The rates are fitted, rounded up, to peaks measured through <c>facefunctions detect</c> (one photo per
/// process, tests/tools/measure-memory.sh; docs/reliability.md, "Memory admission", has the table).
/// </summary>
internal static class PhotoMemoryEstimate
{
    private const long MiB = 1024 * 1024;

    /// <summary>TODO-MEASURED.</summary>
    internal const long PerPhotoBytes = 64 * MiB;

    public static long Bytes(InspectedUpload upload, OutputOptions output)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return Bytes(upload.Format, upload.BitsPerPixel, upload.Pixels, upload.BytesHeld, output);
    }

    /// <summary>The estimate for a photo of <paramref name="pixels"/> in <paramref name="format"/>, holding <paramref name="bytesHeld"/>.</summary>
    public static long Bytes(string format, int bitsPerPixel, long pixels, long bytesHeld, OutputOptions output)
    {
        ArgumentNullException.ThrowIfNull(output);
        double perPixel = DecodeBytesPerPixel(format, bitsPerPixel);
        if (output.WriteAnnotated || output.WriteAnonymized)
        {
            perPixel = Math.Max(perPixel, PreviewBytesPerPixel);
        }

        return bytesHeld + (long)Math.Ceiling(pixels * perPixel) + PerPhotoBytes;
    }

    /// <summary>TODO-MEASURED.</summary>
    private const double PreviewBytesPerPixel = 10;

    /// <summary>TODO-MEASURED.</summary>
    private static double DecodeBytesPerPixel(string format, int bitsPerPixel) => format switch
    {
        "png" => 3 + Math.Max(bitsPerPixel / 8.0, 4) + 4,
        _ => 10,
    };
}
