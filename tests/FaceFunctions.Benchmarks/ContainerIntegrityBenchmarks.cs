using BenchmarkDotNet.Attributes;
using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// What the structure checks add before decoding a 4000 × 3000 photo (docs/reliability.md): walking every JPEG
/// scan, inflating the PNG data. Compare with <see cref="Decode"/>, ImageSharp decoding the same JPEG.
/// </summary>
[MemoryDiagnoser]
public class ContainerIntegrityBenchmarks
{
    private static readonly ImageLimits Limits = ImageLimits.Default;
    private byte[] _jpeg = [];
    private byte[] _png = [];

    [GlobalSetup]
    public void Setup()
    {
        // Noise is the worst case for both: the most entropy-coded bits, the least compressible rows.
        using Image<Rgb24> photo = SyntheticPhoto.Create(4000, 3000);
        _jpeg = TestImages.Encode(photo, new JpegEncoder { Quality = 90 });
        _png = TestImages.Encode(photo, new PngEncoder());
    }

    [Benchmark(Description = "JPEG 4000x3000 q90 noise: walk every scan")]
    public bool JpegWalk() => ContainerIntegrity.Check("jpeg", _jpeg, Limits, out _) is null;

    [Benchmark(Description = "PNG 4000x3000 noise: inflate and count the rows")]
    public bool PngInflate() => ContainerIntegrity.Check("png", _png, Limits, out _) is null;

    [Benchmark(Baseline = true, Description = "JPEG 4000x3000 q90 noise: ImageSharp decode")]
    public int Decode()
    {
        using var image = Image.Load<Rgb24>(_jpeg);
        return image.Width;
    }
}
