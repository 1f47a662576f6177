namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Refuses, before decoding, files whose data ends before the picture does. ImageSharp 2.1's decoders fill
/// whatever data is missing with grey or black and report success; a photo analysed from half its pixels would
/// silently lose faces, so each format's structure is checked far enough to know that every row, block or
/// pixel of the image is really coded (see each format's checker for what that means for it).
/// </summary>
internal static class ContainerIntegrity
{
    /// <summary>
    /// Null when the file is whole, otherwise why not. <paramref name="rewritten"/> is set when the file must be
    /// decoded from an equivalent copy (a PNG with its tiny IDAT chunks merged).
    /// </summary>
    public static ImageRejectedException? Check(string format, ReadOnlySpan<byte> file, ImageLimits limits, out byte[]? rewritten)
    {
        rewritten = null;
        return format switch
        {
            "jpeg" => JpegStructure.Check(file, limits.MaxJpegScans),
            "png" => PngStructure.Check(file, out rewritten),
            "gif" => GifStructure.Check(file),
            "bmp" => BmpStructure.Check(file),
            "webp" => WebpStructure.Check(file),
            _ => null,
        };
    }
}
