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
}
