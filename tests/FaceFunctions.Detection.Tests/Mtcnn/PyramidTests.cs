using FaceFunctions.Detection.Mtcnn;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Tests.Mtcnn;

public sealed class PyramidTests
{
    [Theory]
    [InlineData(561, 561, 10)]
    [InlineData(1920, 1080, 12)]
    [InlineData(4000, 3000, 15)]
    public void Level_count_follows_the_authors_rule(int width, int height, int levels)
    {
        Assert.Equal(levels, PyramidScales.For(width, height, 20, 0.709f).Count);
    }

    [Fact]
    public void The_first_level_of_a_4000x3000_photo_is_2401x1801()
    {
        var first = PyramidScales.For(4000, 3000, 20, 0.709f)[0];

        Assert.Equal(0.6f, first.Scale, 1e-6f);
        Assert.Equal((2401, 1801), (first.Width, first.Height));
    }

    [Theory]
    [InlineData(97, 61, 41, 29)]
    [InlineData(50, 40, 51, 41)]
    [InlineData(40, 600, 7, 2)] // bins of 300 rows: past what 16-bit sums hold
    [InlineData(13, 1000, 12, 3)]
    public void Area_resampling_equals_adaptive_average_pooling(int width, int height, int outWidth, int outHeight)
    {
        var random = new Random(width * height);
        using var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }

        Check(image, outWidth, outHeight);
    }

    private static void Check(Image<Rgb24> image, int outWidth, int outHeight)
    {
        // Resampled in two bands, as P-Net's tiles do, to show rows join exactly.
        int top = outHeight / 2;
        var upper = new float[3 * outWidth * top];
        var lower = new float[3 * outWidth * (outHeight - top)];
        AreaResampler.Resample(image, outWidth, outHeight, 0, top, upper);
        AreaResampler.Resample(image, outWidth, outHeight, top, outHeight - top, lower);
        var columns = AreaResampler.Bins(image.Width, outWidth);
        var rows = AreaResampler.Bins(image.Height, outHeight);
        for (int c = 0; c < 3; c++)
        {
            for (int oy = 0; oy < outHeight; oy++)
            {
                for (int ox = 0; ox < outWidth; ox++)
                {
                    double sum = 0;
                    int count = 0;
                    for (int y = rows[oy].Start; y < rows[oy].End; y++)
                    {
                        for (int x = columns[ox].Start; x < columns[ox].End; x++)
                        {
                            var p = image[x, y];
                            sum += c == 0 ? p.R : c == 1 ? p.G : p.B;
                            count++;
                        }
                    }

                    double expected = ((sum / count) - 127.5) / 128;
                    float actual = oy < top
                        ? upper[(c * outWidth * top) + (oy * outWidth) + ox]
                        : lower[(c * outWidth * (outHeight - top)) + ((oy - top) * outWidth) + ox];
                    Assert.Equal(expected, actual, 1e-5);
                }
            }
        }
    }
}
