using System.Text;
using FaceFunctions.Detection.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Tests;

/// <summary>One hostile upload: how to build it, and what the loader must say (null: it loads).</summary>
internal sealed record HostileInput(string Name, Func<byte[]> Build, ImageErrorCode? Expected, ImageLimits? Limits = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// The hostile-input suite (docs/reliability.md): every accepted format truncated at several points, header lies,
/// decompression bombs just under and over the limits, scan/frame/chunk-count bombs, metadata bombs and
/// polyglots, each with the outcome the loader must give. Built from a synthetic picture, so the suite needs no
/// photo; the benchmark project compiles this file too and measures the same inputs.
/// </summary>
internal static class HostileCorpus
{
    private const int Side = 10_000; // 100 megapixels: the default pixel limit

    public static IReadOnlyList<HostileInput> All { get; } = Build();

    public static HostileInput Named(string name) => All.Single(i => i.Name == name);

    /// <summary>A 160 × 120 picture with gradients and texture, so encoders produce ordinary files.</summary>
    public static Image<Rgb24> Picture()
    {
        var image = new Image<Rgb24>(160, 120);
        var rows = HostileFiles.TexturedRows(160);
        for (int y = 0; y < image.Height; y++)
        {
            byte[] row = rows(y);
            for (int x = 0; x < image.Width; x++)
            {
                image[x, y] = new Rgb24(row[3 * x], row[(3 * x) + 1], row[(3 * x) + 2]);
            }
        }

        return image;
    }

    public static byte[] Encode(IImageEncoder encoder)
    {
        using Image<Rgb24> picture = Picture();
        return TestImages.Encode(picture, encoder);
    }

    private static byte[] Jpeg() => Encode(new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 });

    private static byte[] PngFile() => Encode(new PngEncoder());

    private static byte[] Gif() => Encode(new GifEncoder());

    private static byte[] Bmp() => Encode(new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });

    private static byte[] WebpLossy() => Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });

    private static byte[] WebpLossless() => Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });

    private static List<HostileInput> Build()
    {
        ImageErrorCode? loads = null;
        const ImageErrorCode corrupt = ImageErrorCode.Corrupt, tooLarge = ImageErrorCode.TooLarge, unsupported = ImageErrorCode.UnsupportedFormat;
        var inputs = new List<HostileInput>
        {
            // Controls: ordinary and unusual but valid files load.
            new("jpeg-baseline-420", Jpeg, loads),
            new("jpeg-baseline-444", () => Encode(new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio444 }), loads),
            new("jpeg-progressive-grey", () => HostileFiles.ProgressiveGreyJpeg(256, 256), loads),
            new("png-rgb", PngFile, loads),
            new("png-adam7", () => Encode(new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 }), loads),
            new("png-16-bit", () => Encode(new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb }), loads),
            new("png-idat-split-into-1-byte-chunks", () => HostileFiles.Png(160, 120, row: HostileFiles.TexturedRows(160), idatSize: 1), loads),
            new("gif", Gif, loads),
            new("bmp-24", Bmp, loads),
            new("bmp-rle8", () => HostileFiles.RleBmp(640, 480), loads),
            new("webp-lossy", WebpLossy, loads),
            new("webp-lossless", WebpLossless, loads),
        };

        // Truncations: an interrupted upload, cut at several points.
        foreach (var (format, build) in new (string, Func<byte[]>)[]
        {
            ("jpeg", Jpeg), ("png", PngFile), ("gif", Gif), ("bmp", Bmp), ("webp-lossy", WebpLossy), ("webp-lossless", WebpLossless),
        })
        {
            foreach (double kept in new[] { 0.1, 0.5, 0.9, 0.99 })
            {
                inputs.Add(new($"{format}-truncated-at-{kept * 100}%", () => TestImages.Truncated(build(), kept), corrupt));
            }
        }

        inputs.AddRange(
        [
            // Half an image behind an intact trailer: the decoder would run out of data and fill in grey or black.
            new("jpeg-scan-cut-in-half-then-eoi", () => HostileFiles.JpegScanCut(Jpeg(), 0.5), corrupt),
            new("jpeg-scan-cut-at-95%-then-eoi", () => HostileFiles.JpegScanCut(Jpeg(), 0.95), corrupt),
            new("jpeg-progressive-without-ac-scans", () => HostileFiles.ProgressiveGreyJpeg(256, 256, acScans: false), corrupt),
            new("png-idat-with-half-the-rows-then-iend", () => HostileFiles.Png(160, 120, row: HostileFiles.TexturedRows(160), rowsCoded: 60), corrupt),
            new("png-idat-one-row-short", () => HostileFiles.Png(160, 120, row: HostileFiles.TexturedRows(160), rowsCoded: 119), corrupt),
            new("gif-lzw-half-then-trailer", () => HostileFiles.UniformGif(400, 300, pixelsCoded: 60_000), corrupt),
            new("bmp-height-doubled", () => PatchInt32(Bmp(), 22, 240), corrupt),
            new("bmp-rle-without-end-of-bitmap", () => HostileFiles.RleBmpBomb(64, 64, withEnd: false), corrupt),
            new("webp-riff-size-beyond-the-file", () => PatchInt32(WebpLossy(), 4, WebpLossy().Length + 1000), corrupt),

            // Header lies and damaged tables.
            new("jpeg-undefined-quantisation-table", () => HostileFiles.JpegWithUndefinedQuantTable(Jpeg()), corrupt),
            new("jpeg-zero-width", () => HostileFiles.JpegDeclaring(Jpeg(), 0, 120), corrupt),
            new("jpeg-width-lie-doubled", () => HostileFiles.JpegDeclaring(Jpeg(), 320, 240), corrupt),
            new("png-zero-width", () => TestImages.PngDeclaring(0, 10), corrupt),
            new("png-idat-crc-damaged", () => FlipLastByteOfFirst(HostileFiles.Png(160, 120, row: HostileFiles.TexturedRows(160), idatSize: 1000), "IDAT"u8), corrupt),
            new("png-1-byte-idat-chunks-one-crc-damaged", () => FlipCrcOfFirst(HostileFiles.Png(160, 120, row: HostileFiles.TexturedRows(160), idatSize: 1), "IDAT"u8), corrupt),
            new("png-invalid-colour-type", () => PatchByte(PngFile(), 8 + 8 + 9, 5, fixPngHeaderCrc: true), unsupported),
            new("gif-frame-larger-than-its-data", () => HostileFiles.UniformGif(400, 300, pixelsCoded: 1000), corrupt),
            new("bmp-pixel-offset-past-the-end", () => PatchInt32(Bmp(), 10, 1 << 30), corrupt),
            new("bmp-wider-than-65535", () => HostileFiles.Bmp(70_000, 1, 24, 0, new byte[210_000]), tooLarge),
            new("bmp-40000-by-1", () => HostileFiles.Bmp(40_000, 1, 24, 0, new byte[120_000]), tooLarge),
            new("webp-first-partition-beyond-its-chunk", () => HostileFiles.TinyLossyWebp(64, 64, declaredPartition: 1000), corrupt),

            // Decompression bombs around the limits (the defaults: 100 MP, 32768 a side, 512 bytes per MP).
            new("png-167-bytes-declaring-10000x10000", () => TestImages.PngDeclaring(Side, Side), tooLarge),
            new("png-10001x10000-over-the-pixel-limit", () => TestImages.PngDeclaring(Side + 1, Side), tooLarge),
            new("png-32769x2-over-the-side-limit", () => TestImages.PngDeclaring(32_769, 2), tooLarge),
            new("png-16-bit-rgba-8000x8000-over-the-memory-cap", () => HostileFiles.Png(8000, 8000, bitDepth: 16, colourType: 6), tooLarge),
            new("jpeg-43kb-declaring-10000x10000", () => HostileFiles.JpegDeclaring(Jpeg(), Side, Side), tooLarge),
            new("gif-lzw-bomb-10000x10000", () => HostileFiles.UniformGif(Side, Side), tooLarge),
            new("bmp-rle-bomb-10000x10000", () => HostileFiles.RleBmpBomb(Side, Side), tooLarge),
            new("webp-lossless-34-bytes-10000x10000", () => HostileFiles.TinyLosslessWebp(Side, Side), tooLarge),
            new("webp-lossy-52-bytes-10000x10000", () => HostileFiles.TinyLossyWebp(Side, Side), tooLarge),
            new("gif-lzw-bomb-just-under-the-byte-floor", () => HostileFiles.UniformGif(8000, 6000, longestCode: 3830), tooLarge),
            new("gif-just-over-the-byte-floor", () => HostileFiles.UniformGif(4000, 3000, longestCode: 2000), loads),
            new("png-at-the-pixel-limit", () => HostileFiles.Png(1000, 1000, row: HostileFiles.TexturedRows(1000)), loads, new ImageLimits { MaxPixels = 1_000_000 }),
            new("png-one-row-over-the-pixel-limit", () => HostileFiles.Png(1000, 1001, row: HostileFiles.TexturedRows(1000)), tooLarge, new ImageLimits { MaxPixels = 1_000_000 }),
            new("file-at-the-byte-limit", PngFile, loads, new ImageLimits { MaxBytes = PngFile().Length }),
            new("file-one-byte-over-the-byte-limit", PngFile, tooLarge, new ImageLimits { MaxBytes = PngFile().Length - 1 }),

            // Count bombs: scans, frames, chunks.
            new("jpeg-progressive-100-scans-at-the-limit", () => HostileFiles.ProgressiveGreyJpeg(256, 256, extraAcScans: 98), loads),
            new("jpeg-progressive-101-scans-over-the-limit", () => HostileFiles.ProgressiveGreyJpeg(256, 256, extraAcScans: 99), tooLarge),
            new("jpeg-progressive-5000-scans", () => HostileFiles.ProgressiveGreyJpeg(2048, 2048, extraAcScans: 4998), tooLarge),
            new("gif-1000-frames", () => TestImages.ManyFrameGif(1000, 200), loads),
            new("png-idat-in-16-byte-chunks", () => HostileFiles.Png(400, 300, row: HostileFiles.TexturedRows(400), idatSize: 16), loads),
            new("png-10000-text-chunks", () => HostileFiles.Png(160, 120, row: HostileFiles.TexturedRows(160), extraChunks: Enumerable.Repeat(("tEXt", "Comment\0x"u8.ToArray()), 10_000)), loads),

            // Metadata bombs: the decoders ignore metadata, our EXIF reader reads one entry.
            new("jpeg-hostile-icc-profile", () => { using var p = Picture(); return TestImages.JpegWithHostileIccSegment(p); }, loads),
            new("jpeg-400-app-segments-of-64kb", () => InsertAfterSoi(Jpeg(), Enumerable.Range(0, 400).SelectMany(_ => AppSegment(0xEB, 65_533)).ToArray()), loads),
            new("jpeg-exif-ifd-pointing-at-itself", () => InsertAfterSoi(Jpeg(), ExifLoop()), loads),
            new("png-ztxt-decompression-bomb", () => HostileFiles.Png(160, 120, row: HostileFiles.TexturedRows(160), extraChunks: [("zTXt", ZtxtBomb())]), loads),
            new("png-iccp-decompression-bomb", () => HostileFiles.Png(160, 120, row: HostileFiles.TexturedRows(160), extraChunks: [("iCCP", ZtxtBomb())]), loads),
            new("gif-10mb-comment", () => InsertGifComment(Gif(), 10_000_000), loads),

            // Polyglots and impostors.
            new("jpeg-followed-by-a-zip", () => [.. Jpeg(), .. "PK\u0003\u0004"u8, .. new byte[1000]], loads),
            new("png-followed-by-html", () => [.. PngFile(), .. "<html><script>alert(1)</script></html>"u8], loads),
            new("gif-with-javascript-after-the-trailer", () => [.. Gif(), .. "*/=alert(1);"u8], loads),
            new("jpeg-magic-then-png", () => [0xFF, 0xD8, 0xFF, .. PngFile()], corrupt),
            new("bmp-magic-then-random", () => [.. "BM"u8, .. TestImages.RandomBytes(10_000, 5)], unsupported),
            new("pdf", () => "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"u8.ToArray(), unsupported),
            new("tiff", () => { using var p = Picture(); return TestImages.Tiff(p); }, unsupported),
            new("heic-brand", () => [0, 0, 0, 24, .. "ftypheic"u8, .. new byte[100]], unsupported),
            new("svg", () => "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray(), unsupported),
            new("zero-bytes", () => [], ImageErrorCode.Empty),
            new("random-bytes", () => TestImages.RandomBytes(100_000, 9), unsupported),
        ]);
        return inputs;
    }

    private static byte[] PatchInt32(byte[] file, int offset, int value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(offset), value);
        return file;
    }

    private static byte[] PatchByte(byte[] png, int offset, byte value, bool fixPngHeaderCrc)
    {
        png[offset] = value;
        if (fixPngHeaderCrc)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(8 + 8 + 13), HostileFiles.Crc32(png.AsSpan(12, 17)));
        }

        return png;
    }

    private static byte[] FlipLastByteOfFirst(byte[] png, ReadOnlySpan<byte> type)
    {
        int at = png.AsSpan().IndexOf(type);
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at - 4));
        png[at + 4 + length - 1] ^= 0x55;
        return png;
    }

    /// <summary>Damages the CRC (not the data) of the first chunk of a type.</summary>
    private static byte[] FlipCrcOfFirst(byte[] png, ReadOnlySpan<byte> type)
    {
        int at = png.AsSpan().IndexOf(type);
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at - 4));
        png[at + 4 + length + 3] ^= 0x55;
        return png;
    }

    private static byte[] InsertAfterSoi(byte[] jpeg, byte[] segments) => [.. jpeg[..2], .. segments, .. jpeg[2..]];

    private static byte[] AppSegment(byte marker, int payloadLength) =>
        [0xFF, marker, (byte)((payloadLength + 2) >> 8), (byte)(payloadLength + 2), .. new byte[payloadLength]];

    /// <summary>An APP1 EXIF block whose IFD0 points to itself as the next IFD and claims 65,535 entries.</summary>
    private static byte[] ExifLoop()
    {
        byte[] tiff = [.. "II*\0"u8, 8, 0, 0, 0, 0xFF, 0xFF, .. new byte[12 * 4], 8, 0, 0, 0];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        return [0xFF, 0xE1, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];
    }

    /// <summary>A keyword and 20 MB of zeros deflated to about 20 KB: what a zTXt or iCCP bomb carries.</summary>
    private static byte[] ZtxtBomb()
    {
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 20; i++)
            {
                zlib.Write(zeros);
            }
        }

        return [.. "bomb\0\0"u8, .. compressed.ToArray()];
    }

    private static byte[] InsertGifComment(byte[] gif, int bytes)
    {
        int tableEnd = 13 + ((gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 0x07) + 1) : 0);
        using var comment = new MemoryStream();
        comment.Write([0x21, 0xFE]);
        byte[] block = Encoding.ASCII.GetBytes(new string('x', 255));
        for (int left = bytes; left > 0; left -= 255)
        {
            comment.WriteByte(255);
            comment.Write(block);
        }

        comment.WriteByte(0);
        return [.. gif[..tableEnd], .. comment.ToArray(), .. gif[tableEnd..]];
    }
}
