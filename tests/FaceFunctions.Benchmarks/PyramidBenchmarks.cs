using BenchmarkDotNet.Attributes;
using FaceFunctions.Detection.Mtcnn;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// Building the whole P-Net pyramid of a 4000×3000 photo (15 levels, min face 20) three ways:
/// what the detector does (8-bit SIMD row sums, then binning, every level from the photo), what facenet-pytorch
/// does (a float copy of the photo, area-resampled again for every level), and the cascade that resamples each
/// level from the previous one (cheapest, but rejected: it moved 11 % of wider-dev faces off the reference's boxes).
/// </summary>
[MemoryDiagnoser]
public class PyramidBenchmarks
{
    private Image<Rgb24> _photo = null!;
    private IReadOnlyList<PyramidLevel> _levels = [];

    [GlobalSetup]
    public void Setup()
    {
        _photo = SyntheticPhoto.Create(4000, 3000);
        _levels = PyramidScales.For(_photo.Width, _photo.Height, 20, 0.709f);
    }

    [GlobalCleanup]
    public void Cleanup() => _photo.Dispose();

    [Benchmark(Baseline = true, Description = "8-bit row sums, every level from the photo (ours)")]
    public float RowSums()
    {
        float checksum = 0;
        foreach (var level in _levels)
        {
            var planar = new float[3 * level.Width * level.Height];
            AreaResampler.Resample(_photo, level.Width, level.Height, 0, level.Height, planar);
            checksum += planar[^1];
        }

        return checksum;
    }

    [Benchmark(Description = "float copy, area per level (facenet-pytorch's way)")]
    public float FloatPerLevel()
    {
        var full = FloatResampling.ToPlanar(_photo);
        float checksum = 0;
        foreach (var level in _levels)
        {
            checksum += FloatResampling.Area(full, _photo.Width, _photo.Height, level.Width, level.Height)[^1];
        }

        return checksum;
    }

    [Benchmark(Description = "each level from the previous one (rejected: accuracy)")]
    public float Cascade()
    {
        var current = FloatResampling.ToPlanar(_photo);
        int width = _photo.Width, height = _photo.Height;
        float checksum = 0;
        foreach (var level in _levels)
        {
            current = FloatResampling.Area(current, width, height, level.Width, level.Height);
            (width, height) = (level.Width, level.Height);
            checksum += current[^1];
        }

        return checksum;
    }
}
