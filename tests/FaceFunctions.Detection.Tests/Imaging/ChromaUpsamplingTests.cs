using System.Runtime.Intrinsics.X86;
using FaceFunctions.Detection.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Tests.Imaging;

public sealed class ChromaUpsamplingTests
{
    [Theory]
    [InlineData(JpegColorType.YCbCrRatio420, true)]
    [InlineData(JpegColorType.YCbCrRatio444, false)]
    [InlineData(JpegColorType.Luminance, false)]
    public void Only_4_2_0_jpegs_are_recognised(JpegColorType colorType, bool expected)
    {
        using var photo = Fixtures.Load(Fixtures.Astronaut);

        var jpeg = TestImages.Encode(photo, new JpegEncoder { Quality = 90, ColorType = colorType });

        Assert.Equal(expected, ChromaUpsampling.Is420(jpeg));
    }

    [Fact]
    public void A_4_2_0_jpeg_loads_closer_to_the_photo_than_repeating_each_colour_sample()
    {
        // Interpolating the half-resolution colour (what libjpeg does, and what the loader now does) must restore
        // the photo better than ImageSharp's own block repetition: a check that the planes were read back and
        // upsampled correctly, not just changed.
        using var photo = Fixtures.Load(Fixtures.Astronaut);
        var jpeg = TestImages.Encode(photo, new JpegEncoder { Quality = 95, ColorType = JpegColorType.YCbCrRatio420 });
        using var repeated = Image.Load<Rgb24>(jpeg);
        using var loaded = new SafeImageLoader().Load(new MemoryStream(jpeg));

        double before = ImageAssert.MeanAbsoluteDifference(photo, repeated);
        double after = ImageAssert.MeanAbsoluteDifference(photo, loaded.Image);

        Assert.True(after < before * 0.95, $"mean difference to the photo: {after:F3} after, {before:F3} with repeated colour");
    }

    /// <summary>
    /// Every size below on every kernel this CPU runs (an AVX-512 machine checks the AVX2 and scalar kernels too).
    /// Random pixels reach every corner: colours that clamp at 0 and 255, rounding ties, odd edges, rows shorter than
    /// one 16-pixel vector, vectors followed by a scalar tail, and the seams between parallel bands.
    /// </summary>
    public static TheoryData<int, int, string> SizesOnEveryKernel()
    {
        (int Width, int Height)[] sizes =
        [
            (1, 1), (2, 2), (3, 5), (15, 7), (16, 2), (17, 3), (31, 4), (32, 3), (33, 9), (48, 5), (64, 64), (101, 77),
            (1001, 601), // above ChromaUpsampling.ParallelPixels: bands upsampled in parallel
            (1280, 1023),
        ];
        var data = new TheoryData<int, int, string>();
        foreach (var kernel in KernelsThisCpuRuns())
        {
            foreach (var (width, height) in sizes)
            {
                data.Add(width, height, kernel.ToString());
            }
        }

        return data;
    }

    public static TheoryData<string> Kernels() => [.. KernelsThisCpuRuns().Select(kernel => kernel.ToString())];

    [Theory]
    [MemberData(nameof(SizesOnEveryKernel))]
    public void Matches_the_scalar_version_bit_for_bit_on_any_pixels(int width, int height, string kernel)
    {
        var random = new Random((width * 1000) + height);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        using var expected = Image.LoadPixelData<Rgb24>(pixels, width, height);
        using var actual = expected.Clone();

        ScalarChromaUpsampling.Apply(expected);
        ChromaUpsampling.ApplyLibjpegFancyUpsampling(actual, Enum.Parse<ChromaKernel>(kernel));

        AssertSamePixels(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Matches_the_scalar_version_bit_for_bit_on_a_decoded_photo(string kernel)
    {
        using var photo = Fixtures.Load(Fixtures.Astronaut);
        var jpeg = TestImages.Encode(photo, new JpegEncoder { Quality = 80, ColorType = JpegColorType.YCbCrRatio420 });
        using var expected = Image.Load<Rgb24>(jpeg);
        using var actual = expected.Clone();

        ScalarChromaUpsampling.Apply(expected);
        ChromaUpsampling.ApplyLibjpegFancyUpsampling(actual, Enum.Parse<ChromaKernel>(kernel));

        AssertSamePixels(expected, actual);
    }

    [Fact]
    public void The_loader_takes_the_fastest_kernel_the_cpu_runs()
    {
        // On a CPU with AVX2 (every x64 server of the last decade), the loader must not fall back to the scalar kernel.
        var expected = Avx512Vbmi.IsSupported ? ChromaKernel.Avx512Vbmi : Avx2.IsSupported ? ChromaKernel.Avx2 : ChromaKernel.Scalar;

        Assert.Equal(expected, ChromaUpsampling.Fastest);
    }

    [Fact]
    public void A_kernel_the_cpu_lacks_is_refused()
    {
        using var image = new Image<Rgb24>(16, 2);

        foreach (var kernel in Enum.GetValues<ChromaKernel>().Where(kernel => !ChromaUpsampling.Runs(kernel)))
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ChromaUpsampling.ApplyLibjpegFancyUpsampling(image, kernel));
        }
    }

    private static IEnumerable<ChromaKernel> KernelsThisCpuRuns() => Enum.GetValues<ChromaKernel>().Where(ChromaUpsampling.Runs);

    private static void AssertSamePixels(Image<Rgb24> expected, Image<Rgb24> actual)
    {
        var want = new Rgb24[expected.Width * expected.Height];
        var got = new Rgb24[actual.Width * actual.Height];
        expected.CopyPixelDataTo(want);
        actual.CopyPixelDataTo(got);
        for (int i = 0; i < want.Length; i++)
        {
            Assert.True(want[i] == got[i], $"pixel ({i % expected.Width}, {i / expected.Width}): {want[i]} expected, {got[i]} actual");
        }
    }
}
