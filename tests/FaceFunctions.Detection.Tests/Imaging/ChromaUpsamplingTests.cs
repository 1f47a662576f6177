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

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    [InlineData(15, 7)]
    [InlineData(16, 2)]
    [InlineData(17, 3)]
    [InlineData(33, 9)]
    [InlineData(64, 64)]
    [InlineData(101, 77)]
    [InlineData(1001, 601)] // above ChromaUpsampling.ParallelPixels: bands upsampled in parallel
    [InlineData(1280, 1023)]
    public void Matches_the_scalar_version_bit_for_bit_on_any_pixels(int width, int height)
    {
        // Random pixels reach every corner: colours that clamp at 0 and 255, rounding ties, odd edges, rows shorter
        // than one 16-pixel vector, vectors followed by a scalar tail, and the seams between parallel bands.
        var random = new Random((width * 1000) + height);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        using var expected = Image.LoadPixelData<Rgb24>(pixels, width, height);
        using var actual = expected.Clone();

        ScalarChromaUpsampling.Apply(expected);
        ChromaUpsampling.ApplyLibjpegFancyUpsampling(actual);

        AssertSamePixels(expected, actual);
    }

    [Fact]
    public void Matches_the_scalar_version_bit_for_bit_on_a_decoded_photo()
    {
        using var photo = Fixtures.Load(Fixtures.Astronaut);
        var jpeg = TestImages.Encode(photo, new JpegEncoder { Quality = 80, ColorType = JpegColorType.YCbCrRatio420 });
        using var expected = Image.Load<Rgb24>(jpeg);
        using var actual = expected.Clone();

        ScalarChromaUpsampling.Apply(expected);
        ChromaUpsampling.ApplyLibjpegFancyUpsampling(actual);

        AssertSamePixels(expected, actual);
    }

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
