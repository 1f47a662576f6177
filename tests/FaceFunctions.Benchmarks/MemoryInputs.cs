using FaceFunctions.Detection.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// <c>write-memory DIR</c>: the photos behind the memory admission estimate (docs/reliability.md, "Memory
/// admission"), one per format and pixel layout the loader accepts, at 12 megapixels and at the largest size the
/// default limits accept for it, to be measured one process per file with <c>/usr/bin/time -v facefunctions detect</c>
/// (tests/tools/measure-memory.sh). The picture is astronaut.png tiled, so the detector has a face every 512 pixels
/// to find, crop and draw, and the files stay under the byte limit: the repeats compress.
/// </summary>
internal static class MemoryInputs
{
    public static int Write(string directory)
    {
        Directory.CreateDirectory(directory);
        using var tile = Fixtures.Load(Fixtures.Astronaut);
        foreach (var (name, build) in Inputs(tile))
        {
            string path = Path.Combine(directory, name);
            File.WriteAllBytes(path, build());
            Console.WriteLine($"{name}: {new FileInfo(path).Length:N0} bytes");
        }

        return 0;
    }

    private static IEnumerable<(string Name, Func<byte[]> Build)> Inputs(Image<Rgb24> tile)
    {
        // 12 MP is a phone photo; the large sizes are the most each layout can have under the defaults: 100 MP (the
        // pixel limit), the decoded-size cap for 16-bit PNGs (6 and 8 bytes a pixel), and 49 MP for WebP, whose
        // encoder here needs minutes beyond that.
        foreach (var (width, height) in new[] { (4000, 3000), (10_000, 10_000) })
        {
            string size = $"{width}x{height}";
            yield return ($"jpeg-420-{size}.jpg", () => Encode(tile, width, height, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 }));
            yield return ($"jpeg-444-{size}.jpg", () => Encode(tile, width, height, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio444 }));
            yield return ($"jpeg-grey-{size}.jpg", () => Encode(tile, width, height, new JpegEncoder { Quality = 90, ColorType = JpegColorType.Luminance }));
            yield return ($"png-rgb-{size}.png", () => Encode(tile, width, height, new PngEncoder { ColorType = PngColorType.Rgb }));
            yield return ($"png-rgba-{size}.png", () => EncodeWithAlpha(tile, width, height, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }));
            yield return ($"png-grey-{size}.png", () => Encode(tile, width, height, new PngEncoder { ColorType = PngColorType.Grayscale }));
            yield return ($"png-palette-{size}.png", () => Encode(tile, width, height, new PngEncoder { ColorType = PngColorType.Palette }));
        }

        yield return ("png-rgb16-4000x3000.png", () => Encode(tile, 4000, 3000, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 }));
        yield return ("png-rgba16-4000x3000.png", () => EncodeWithAlpha(tile, 4000, 3000, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 }));
        yield return ("png-rgb16-8000x8000.png", () => Encode(tile, 8000, 8000, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 }));
        yield return ("png-rgba16-7000x7000.png", () => EncodeWithAlpha(tile, 7000, 7000, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 }));
        yield return ("webp-lossy-4000x3000.webp", () => Encode(tile, 4000, 3000, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 90 }));
        yield return ("webp-lossless-4000x3000.webp", () => Encode(tile, 4000, 3000, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }));
        yield return ("webp-lossy-7000x7000.webp", () => Encode(tile, 7000, 7000, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 90 }));
        yield return ("webp-lossless-7000x7000.webp", () => Encode(tile, 7000, 7000, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }));
        yield return ("gif-4000x3000.gif", () => Encode(tile, 4000, 3000, new GifEncoder()));
        yield return ("bmp-24-4000x3000.bmp", () => Encode(tile, 4000, 3000, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }));
        yield return ("bmp-32-4000x3000.bmp", () => Encode(tile, 4000, 3000, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 }));

        // A 100 MP GIF or BMP of a photo is over the byte limit; these are the hostile suite's cheapest files that
        // still decode in full at the pixel limit (docs/reliability.md, "Worst case").
        yield return ("gif-10000x10000.gif", () => HostileFiles.UniformGif(10_000, 10_000, longestCode: 2800));
        yield return ("bmp-rle8-10000x10000.bmp", () => HostileFiles.RleBmp(10_000, 10_000));
    }

    private static byte[] Encode(Image<Rgb24> tile, int width, int height, IImageEncoder encoder)
    {
        using var image = Tiled(tile, width, height);
        return TestImages.Encode(image, encoder);
    }

    /// <summary>The tiled picture, three quarters opaque: the loader flattens it onto white.</summary>
    private static byte[] EncodeWithAlpha(Image<Rgb24> tile, int width, int height, IImageEncoder encoder)
    {
        using var image = Tiled(tile, width, height);
        using var rgba = image.CloneAs<Rgba32>();
        rgba.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (ref Rgba32 pixel in rows.GetRowSpan(y))
                {
                    pixel.A = 192;
                }
            }
        });
        return TestImages.Encode(rgba, encoder);
    }

    private static Image<Rgb24> Tiled(Image<Rgb24> tile, int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        var tileRows = new Rgb24[tile.Height][];
        tile.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                tileRows[y] = rows.GetRowSpan(y).ToArray();
            }
        });
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                Rgb24[] source = tileRows[y % tileRows.Length];
                for (int x = 0; x < width; x += source.Length)
                {
                    source.AsSpan(0, Math.Min(source.Length, width - x)).CopyTo(row[x..]);
                }
            }
        });
        return image;
    }
}
