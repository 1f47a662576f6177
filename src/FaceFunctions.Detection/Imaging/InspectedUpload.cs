using SixLabors.ImageSharp.Formats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// An upload that passed every check <see cref="SafeImageLoader"/> makes before decoding, and what its header
/// declares: enough to know what decoding it will cost before a pixel is allocated. It holds the encoded bytes;
/// <see cref="SafeImageLoader.Decode(InspectedUpload)"/> turns it into pixels, and Dispose returns the bytes to
/// the pool.
/// </summary>
internal sealed class InspectedUpload : IDisposable
{
    private readonly BoundedUpload _upload;

    internal InspectedUpload(BoundedUpload upload, string format, IImageDecoder decoder, int width, int height, int bitsPerPixel, int orientation, byte[]? rewritten)
    {
        _upload = upload;
        Format = format;
        Decoder = decoder;
        Width = width;
        Height = height;
        BitsPerPixel = bitsPerPixel;
        Orientation = orientation;
        Rewritten = rewritten;
    }

    /// <summary>"jpeg", "png", "webp", "bmp" or "gif".</summary>
    public string Format { get; }

    /// <summary>Width as the header declares it (before the EXIF orientation is applied).</summary>
    public int Width { get; }

    /// <summary>Height as the header declares it.</summary>
    public int Height { get; }

    public long Pixels => (long)Width * Height;

    /// <summary>Bits per pixel of the picture as the header describes it (e.g. 24 for RGB, 64 for 16-bit RGBA PNG).</summary>
    public int BitsPerPixel { get; }

    /// <summary>The file's EXIF orientation, 1 to 8; 1 when the file has none.</summary>
    public int Orientation { get; }

    /// <summary>Size of the encoded file in bytes.</summary>
    public int Length => _upload.Length;

    /// <summary>
    /// Memory this upload holds until it is disposed: the pooled buffer it was read into (rounded up to the pool's
    /// bucket, not just <see cref="Length"/>) and the rewritten copy, when the file needed one.
    /// </summary>
    public long BytesHeld => _upload.Buffer.Length + (Rewritten?.LongLength ?? 0);

    internal IImageDecoder Decoder { get; }

    /// <summary>The upload's bytes.</summary>
    internal ReadOnlySpan<byte> File => _upload.Buffer.AsSpan(0, _upload.Length);

    /// <summary>An equivalent copy to decode instead of <see cref="File"/> (a PNG with its tiny IDAT chunks merged), or null.</summary>
    private byte[]? Rewritten { get; }

    /// <summary>What the decoder reads: the upload's bytes, or their rewritten copy.</summary>
    internal MemoryStream OpenDecodable() =>
        Rewritten is null ? new MemoryStream(_upload.Buffer, 0, _upload.Length, writable: false) : new MemoryStream(Rewritten, writable: false);

    public void Dispose() => _upload.Dispose();
}
