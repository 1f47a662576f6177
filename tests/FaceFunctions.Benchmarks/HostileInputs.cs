using FaceFunctions.Detection.Imaging;
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
/// The measurements behind docs/reliability.md that are not BenchmarkDotNet timings:
/// <c>write-hostile DIR</c> writes every input of the hostile-input suite plus the worst cases the default limits
/// still accept, one file each, to be measured one process per file with
/// <c>/usr/bin/time -v facefunctions detect FILE</c> (tests/tools/measure-hostile.sh does exactly that);
/// <c>bytes-per-megapixel</c> prints how many bytes per megapixel smooth 12-megapixel pictures take in every format,
/// the evidence for <see cref="ImageLimits.DefaultMinBytesPerMegapixel"/>.
/// </summary>
internal static class HostileInputs
{
    /// <summary>
    /// Files the default limits accept that cost the most to decode and detect: 100 megapixels, as few bytes as
    /// the byte floor allows, as many scans as the scan limit allows. Too heavy for the test suite.
    /// </summary>
    public static IEnumerable<(string Name, Func<byte[]> Build)> WorstCases()
    {
        const int side = 10_000;
        yield return ("worst-png-grey-10000x10000-blank", () => HostileFiles.Png(side, side, colourType: 0));
        yield return ("worst-png-rgb-10000x10000-blank", () => HostileFiles.Png(side, side, colourType: 2));
        yield return ("worst-jpeg-progressive-10000x10000-100-scans", () => HostileFiles.ProgressiveGreyJpeg(side, side, extraAcScans: 98));
        yield return ("worst-bmp-rle8-10000x10000", () => HostileFiles.RleBmp(side, side));
        yield return ("worst-gif-10000x10000-just-over-the-floor", () => HostileFiles.UniformGif(side, side, longestCode: 2800));
        // Noise gives the detector the most candidate windows; quality 50 keeps the file under the byte limit.
        yield return ("worst-jpeg-noise-10000x10000", () =>
        {
            using var photo = SyntheticPhoto.Create(side, side);
            return TestImages.Encode(photo, new JpegEncoder { Quality = 50 });
        });
    }

    public static int Write(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (HostileInput input in HostileCorpus.All)
        {
            File.WriteAllBytes(Path.Combine(directory, input.Name + ".img"), input.Build());
        }

        foreach (var (name, build) in WorstCases())
        {
            File.WriteAllBytes(Path.Combine(directory, name + ".img"), build());
        }

        Console.WriteLine($"{HostileCorpus.All.Count} suite inputs and {WorstCases().Count()} worst cases written to {directory}");
        return 0;
    }

    /// <summary>Bytes per megapixel of 4000 × 3000 pictures that compress best: flat, a smooth sky, a sky with sensor noise.</summary>
    public static int BytesPerMegapixel()
    {
        const int width = 4000, height = 3000;
        var pictures = new (string Name, Func<int, int, Rgb24> Pixel)[]
        {
            ("flat colour", (_, _) => new Rgb24(110, 160, 220)),
            ("smooth sky gradient", (x, y) => new Rgb24((byte)(90 + (y * 60 / height)), (byte)(140 + (y * 50 / height)), (byte)(230 - (x * 20 / width)))),
            ("sky gradient + noise (sd 1.5)", (x, y) =>
            {
                int n = Noise(x, y);
                return new Rgb24((byte)(90 + (y * 60 / height) + n), (byte)(140 + (y * 50 / height) + n), (byte)(230 - (x * 20 / width) + n));
            }),
        };
        var encoders = new (string Name, IImageEncoder Encoder)[]
        {
            ("jpeg q75 4:2:0", new JpegEncoder { Quality = 75, ColorType = JpegColorType.YCbCrRatio420 }),
            ("jpeg q90 4:2:0", new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 }),
            ("png", new PngEncoder()),
            ("webp lossy q75", new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 75 }),
            ("webp lossless", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
            ("gif", new GifEncoder()),
            ("bmp 24-bit", new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }),
        };
        Console.WriteLine($"| picture ({width} × {height}) | {string.Join(" | ", encoders.Select(e => e.Name))} |");
        Console.WriteLine($"|---|{string.Concat(encoders.Select(_ => "---:|"))}");
        foreach (var (name, pixel) in pictures)
        {
            using var image = new Image<Rgb24>(width, height);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    image[x, y] = pixel(x, y);
                }
            }

            var cells = encoders.Select(e => $"{TestImages.Encode(image, e.Encoder).Length / (width * height / 1e6):N0}");
            Console.WriteLine($"| {name} | {string.Join(" | ", cells)} |");
        }

        Console.WriteLine("bytes per megapixel; the default floor is " + ImageLimits.DefaultMinBytesPerMegapixel);
        return 0;
    }

    /// <summary>Deterministic noise of standard deviation about 1.5 grey levels.</summary>
    private static int Noise(int x, int y)
    {
        uint h = (uint)((x * 73_856_093) ^ (y * 19_349_663));
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        return (int)(h % 5) - 2;
    }
}
