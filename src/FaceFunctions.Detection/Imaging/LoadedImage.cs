using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// A decoded photo, already turned upright (EXIF orientation applied), in 8-bit RGB, and what the file
/// said about itself. Disposing it returns the pixel memory to the pool.
/// </summary>
public sealed class LoadedImage : IDisposable
{
    internal LoadedImage(Image<Rgb24> image, int originalWidth, int originalHeight, int orientation, string format, long byteCount)
    {
        Image = image;
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        Orientation = orientation;
        Format = format;
        ByteCount = byteCount;
    }

    /// <summary>The upright pixels. Owned by this object: clone it to keep it beyond <see cref="Dispose"/>.</summary>
    public Image<Rgb24> Image { get; }

    /// <summary>Width of the upright image: the frame boxes and landmarks are reported in.</summary>
    internal int Width => Image.Width;

    /// <summary>Height of the upright image.</summary>
    internal int Height => Image.Height;

    /// <summary>Width as stored in the file, before the orientation was applied.</summary>
    internal int OriginalWidth { get; }

    /// <summary>Height as stored in the file, before the orientation was applied.</summary>
    internal int OriginalHeight { get; }

    /// <summary>The file's EXIF orientation, 1 to 8; 1 when the file has none.</summary>
    internal int Orientation { get; }

    /// <summary>"jpeg", "png", "webp", "bmp" or "gif".</summary>
    internal string Format { get; }

    /// <summary>Size of the encoded file in bytes.</summary>
    internal long ByteCount { get; }

    public void Dispose() => Image.Dispose();
}
