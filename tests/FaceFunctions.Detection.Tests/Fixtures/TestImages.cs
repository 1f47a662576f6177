using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Tests;

/// <summary>
/// Inputs the tests build themselves, from the skimage photos or from nothing: encoded files in every
/// accepted format, EXIF-rotated copies, and hostile files (huge headers, endless GIFs, truncations).
/// Encoding uses ImageSharp's default configuration, which can still write formats the loader refuses.
/// </summary>
internal static class TestImages
{
    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>A JPEG, optionally carrying an EXIF orientation tag.</summary>
    public static byte[] Jpeg(Image image, int quality = 95, int? orientation = null)
    {
        using Image copy = image.Clone(_ => { });
        if (orientation is int value)
        {
            var exif = new ExifProfile();
            exif.SetValue(ExifTag.Orientation, (ushort)value);
            copy.Metadata.ExifProfile = exif;
        }

        return Encode(copy, new JpegEncoder { Quality = quality, ColorType = JpegColorType.YCbCrRatio444 });
    }

    public static byte[] Png(Image image) => Encode(image, new PngEncoder());

    public static byte[] Tiff(Image image) => Encode(image, new TiffEncoder());

    /// <summary>
    /// What a camera stores for a scene that looks like <paramref name="upright"/> when shown with the
    /// given EXIF orientation. Written from the EXIF definition of where row 0 and column 0 belong,
    /// independently of the loader's rotate/flip implementation.
    /// </summary>
    public static Image<Rgb24> StoredForOrientation(Image<Rgb24> upright, int orientation)
    {
        int w = upright.Width;
        int h = upright.Height;
        bool transposed = orientation >= 5;
        var stored = new Image<Rgb24>(transposed ? h : w, transposed ? w : h);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                (int sx, int sy) = orientation switch
                {
                    1 => (x, y),
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, w - 1 - x),
                    7 => (h - 1 - y, w - 1 - x),
                    8 => (h - 1 - y, x),
                    _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
                };
                stored[sx, sy] = upright[x, y];
            }
        }

        return stored;
    }

    /// <summary>
    /// A well-formed PNG that declares <paramref name="width"/> × <paramref name="height"/> RGB pixels but
    /// carries only a few bytes of (valid zlib) image data: decoding it would need width × height × 3 bytes.
    /// </summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        HostileFiles.WriteChunk(png, "IHDR", header);
        HostileFiles.WriteChunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]); // zlib of nothing
        HostileFiles.WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// An animated GIF of <paramref name="frames"/> frames of size × size: a red first frame, then blue
    /// ones. Built by encoding two frames and repeating the second frame's blocks, which takes milliseconds.
    /// </summary>
    public static byte[] ManyFrameGif(int frames, int size)
    {
        using var gif = new Image<Rgba32>(size, size, new Rgba32(255, 0, 0));
        using (var blue = new Image<Rgba32>(size, size, new Rgba32(0, 0, 255)))
        {
            gif.Frames.AddFrame(blue.Frames.RootFrame);
        }

        byte[] two = Encode(gif, new GifEncoder());
        List<(int Start, int End)> frameBlocks = GifFrameBlocks(two, out int trailer);
        (int start, int end) = frameBlocks[1];
        using var many = new MemoryStream();
        many.Write(two, 0, end);
        for (int i = 2; i < frames; i++)
        {
            many.Write(two, start, end - start);
        }

        many.Write(two, trailer, two.Length - trailer);
        return many.ToArray();
    }

    /// <summary>
    /// Pastes the head around <paramref name="face"/> (the box plus 40% on every side, so a detector sees
    /// hair and neck) from <paramref name="source"/> into a copy of <paramref name="background"/>, scaled by
    /// <paramref name="scale"/>, with the face box's top-left corner at <paramref name="at"/>. Returns the
    /// picture and where the face box now is.
    /// </summary>
    public static (Image<Rgb24> Image, FaceBox Face) PasteFace(Image<Rgb24> source, FaceBox face, Image<Rgb24> background, float scale, Point at)
    {
        float mx = face.Width * 0.4f;
        float my = face.Height * 0.4f;
        Rectangle head = Rectangle.Intersect(
            Rectangle.FromLTRB((int)(face.X1 - mx), (int)(face.Y1 - my), (int)MathF.Ceiling(face.X2 + mx), (int)MathF.Ceiling(face.Y2 + my)),
            source.Bounds());
        var size = new Size((int)MathF.Round(head.Width * scale), (int)MathF.Round(head.Height * scale));
        using Image<Rgb24> patch = source.Clone(x => x.Crop(head).Resize(size));

        // Where the head's corner must go for the face's corner to land on `at`.
        var corner = new Point(at.X - (int)MathF.Round((face.X1 - head.X) * scale), at.Y - (int)MathF.Round((face.Y1 - head.Y) * scale));
        Image<Rgb24> result = background.Clone(x => x.DrawImage(patch, corner, 1f));
        float sx = size.Width / (float)head.Width;
        float sy = size.Height / (float)head.Height;
        var moved = new FaceBox(
            corner.X + ((face.X1 - head.X) * sx),
            corner.Y + ((face.Y1 - head.Y) * sy),
            corner.X + ((face.X2 - head.X) * sx),
            corner.Y + ((face.Y2 - head.Y) * sy));
        return (result, moved);
    }

    /// <summary>The first <paramref name="fraction"/> of a file, as an interrupted upload leaves it.</summary>
    public static byte[] Truncated(byte[] file, double fraction) => file[..(int)(file.Length * fraction)];

    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static byte[] Text() => Encoding.UTF8.GetBytes("Dear colleague,\nthis is not a photo, just a note saved as .jpg.\n");

    /// <summary>A JPEG with an APP2 ICC_PROFILE segment whose profile claims a huge size and garbage tags.</summary>
    public static byte[] JpegWithHostileIccSegment(Image image)
    {
        byte[] jpeg = Jpeg(image);
        var profile = new byte[256];
        BinaryPrimitives.WriteInt32BigEndian(profile, int.MaxValue); // declared profile size
        "acsp"u8.CopyTo(profile.AsSpan(36));
        BinaryPrimitives.WriteInt32BigEndian(profile.AsSpan(128), 100_000); // tag count
        byte[] identifier = [.. "ICC_PROFILE\0"u8, 1, 1];
        int segmentLength = 2 + identifier.Length + profile.Length;
        using var result = new MemoryStream();
        result.Write(jpeg, 0, 2); // SOI
        result.Write([0xFF, 0xE2, (byte)(segmentLength >> 8), (byte)segmentLength]);
        result.Write(identifier);
        result.Write(profile);
        result.Write(jpeg, 2, jpeg.Length - 2);
        return result.ToArray();
    }

    /// <summary>
    /// The byte ranges of each frame (its extensions plus image descriptor and data) of a GIF, and the
    /// position of the trailer.
    /// </summary>
    private static List<(int Start, int End)> GifFrameBlocks(byte[] gif, out int trailer)
    {
        int pos = 13;
        if ((gif[10] & 0x80) != 0)
        {
            pos += 3 << ((gif[10] & 0x07) + 1); // global colour table
        }

        var frames = new List<(int, int)>();
        int frameStart = -1;
        while (gif[pos] != 0x3B)
        {
            if (gif[pos] == 0x21)
            {
                bool isApplication = gif[pos + 1] == 0xFF;
                if (!isApplication && frameStart < 0)
                {
                    frameStart = pos;
                }

                pos = SkipSubBlocks(gif, pos + 2);
            }
            else
            {
                // Image descriptor (0x2C): 10 bytes, optional local colour table, LZW code size, data.
                if (frameStart < 0)
                {
                    frameStart = pos;
                }

                byte packed = gif[pos + 9];
                pos += 10;
                if ((packed & 0x80) != 0)
                {
                    pos += 3 << ((packed & 0x07) + 1);
                }

                pos = SkipSubBlocks(gif, pos + 1);
                frames.Add((frameStart, pos));
                frameStart = -1;
            }
        }

        trailer = pos;
        return frames;
    }

    private static int SkipSubBlocks(byte[] gif, int pos)
    {
        while (gif[pos] != 0)
        {
            pos += gif[pos] + 1;
        }

        return pos + 1;
    }
}
