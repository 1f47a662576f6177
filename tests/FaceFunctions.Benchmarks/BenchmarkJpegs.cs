using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// The 4:2:0 JPEGs the decode benchmarks read: the files named in FACEFUNCTIONS_BENCH_JPEGS (separated by spaces;
/// docs/performance.md uses the two benchmark photos), or else a 4000×3000 <see cref="SyntheticPhoto"/> written to a
/// temporary file. Noise is far harder to decode than a photo, so only real photos give the loader's true overhead.
/// </summary>
internal static class BenchmarkJpegs
{
    public const string Variable = "FACEFUNCTIONS_BENCH_JPEGS";

    public static IEnumerable<string> Paths()
    {
        string? named = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(named))
        {
            return named.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        string path = Path.Combine(Path.GetTempPath(), "facefunctions-bench-noise-4000x3000.jpg");
        if (!File.Exists(path))
        {
            using var photo = SyntheticPhoto.Create(4000, 3000);
            photo.SaveAsJpeg(path, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 });
        }

        return [path];
    }
}
