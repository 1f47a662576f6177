using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Tests.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// What the loader adds to ImageSharp's own decode of the same JPEG (from bytes in memory): counting the upload,
/// reading the header, checking the file is complete, EXIF orientation, and re-upsampling the colour as libjpeg does.
/// Warm: steady state. See <see cref="DecodeColdStartBenchmarks"/> for the first photo of a process.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks : JpegDecodeBaseline
{
    private readonly SafeImageLoader _loader = new();

    [Benchmark(Description = "SafeImageLoader.Load (ours)")]
    public int Loader()
    {
        using var loaded = _loader.Load(Jpeg);
        return loaded.Image.Width;
    }

    /// <summary>The part of the loader's time that is not the colour (see <see cref="ChromaUpsamplingBenchmarks"/> for that).</summary>
    [Benchmark(Description = "its structure check alone (every scan walked)")]
    public bool StructureCheck() => ContainerIntegrity.Check("jpeg", JpegBytes, _loader.Limits, out _) is null;
}

/// <summary>
/// <see cref="DecodeBenchmarks"/> for the first photo of a fresh process (every launch is a new process with a
/// single call, so the time includes just-in-time compilation of ImageSharp's decoder and of the loader), the cost
/// the first photo after a cold start pays.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 15, warmupCount: 0, iterationCount: 1)]
[MinColumn, MedianColumn, MaxColumn]
public class DecodeColdStartBenchmarks : JpegDecodeBaseline
{
    [Benchmark(Description = "new SafeImageLoader().Load (ours)")]
    public int Loader()
    {
        using var loaded = new SafeImageLoader().Load(Jpeg);
        return loaded.Image.Width;
    }
}

/// <summary>
/// The libjpeg-style colour re-upsampling alone, on the photo as ImageSharp decodes it: the first, plain scalar
/// version (kept in the tests as the specification) against the one-pass version with each of its kernels (the
/// AVX-512 one only where the CPU has AVX-512 VBMI: filter it out elsewhere). All rewrite the image in place; running
/// again on their own output costs the same, so the image is decoded once.
/// </summary>
public class ChromaUpsamplingBenchmarks
{
    private Image<Rgb24> _image = null!;

    [ParamsSource(nameof(Photos))]
    public string Photo { get; set; } = "";

    public static IEnumerable<string> Photos() => BenchmarkJpegs.Paths();

    [GlobalSetup]
    public void Setup() => _image = Image.Load<Rgb24>(Photo);

    [GlobalCleanup]
    public void Cleanup() => _image.Dispose();

    [Benchmark(Baseline = true, Description = "scalar, two passes (specification)")]
    public void Specification() => ScalarChromaUpsampling.Apply(_image);

    [Benchmark(Description = "scalar kernel, one pass, a band per core")]
    public void Scalar() => ChromaUpsampling.ApplyLibjpegFancyUpsampling(_image, ChromaKernel.Scalar);

    [Benchmark(Description = "AVX2 kernel, one pass, a band per core")]
    public void Avx2() => ChromaUpsampling.ApplyLibjpegFancyUpsampling(_image, ChromaKernel.Avx2);

    [Benchmark(Description = "AVX-512 VBMI kernel, one pass, a band per core")]
    public void Avx512Vbmi() => ChromaUpsampling.ApplyLibjpegFancyUpsampling(_image, ChromaKernel.Avx512Vbmi);
}

/// <summary>
/// What the warm and the cold-start decode benchmarks share: the benchmark photos, read once, and ImageSharp's own
/// decode of them as the baseline the loader is measured against.
/// </summary>
public abstract class JpegDecodeBaseline
{
    private byte[] _jpeg = [];

    [ParamsSource(nameof(Photos))]
    public string Photo { get; set; } = "";

    public static IEnumerable<string> Photos() => BenchmarkJpegs.Paths();

    [GlobalSetup]
    public void Setup() => _jpeg = File.ReadAllBytes(Photo);

    [Benchmark(Baseline = true, Description = "ImageSharp Image.Load<Rgb24>")]
    public int ImageSharpLoad()
    {
        using var image = Image.Load<Rgb24>(_jpeg);
        return image.Width;
    }

    /// <summary>The photo as a fresh read-only stream, as the loader takes it.</summary>
    protected MemoryStream Jpeg => new(_jpeg, writable: false);

    /// <summary>The photo's bytes.</summary>
    protected ReadOnlySpan<byte> JpegBytes => _jpeg;
}
