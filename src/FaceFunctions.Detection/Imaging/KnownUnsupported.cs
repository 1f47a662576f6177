namespace FaceFunctions.Detection.Imaging;

/// <summary>Names the formats people most often upload by mistake, so the rejection says what the file is.</summary>
internal static class KnownUnsupported
{
    public static string Describe(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith("II*\0"u8) || file.StartsWith("MM\0*"u8) || file.StartsWith("II+\0"u8) || file.StartsWith("MM\0+"u8))
        {
            return "TIFF images are not accepted (see SECURITY.md).";
        }

        if (file.Length >= 12 && file.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return "HEIC/AVIF images are not supported.";
        }

        if (file.StartsWith("%PDF"u8))
        {
            return "The file is a PDF document, not an image.";
        }

        return "The file is not an image in a recognised format.";
    }
}
