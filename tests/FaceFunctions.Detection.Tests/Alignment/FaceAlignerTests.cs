using FaceFunctions.Detection.Alignment;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Tests.Alignment;

public sealed class FaceAlignerTests
{
    /// <summary>
    /// A synthetic face: five soft dots at the template points after a known rotation, scale and shift.
    /// Each dot is rendered alone so its position in the crop can be measured by its intensity centroid.
    /// </summary>
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(25.0, 2.3)]
    [InlineData(-40.0, 0.6)]
    [InlineData(90.0, 1.5)]
    [InlineData(170.0, 0.8)]
    public void Aligned_crop_puts_every_landmark_on_the_template(double degrees, double scale)
    {
        const int cropSize = 112;
        var placement = SimilarityTransform.FromScaleRotation(scale, degrees * Math.PI / 180, 0, 0);
        Point2 centre = placement.Apply(new Point2(56, 72));
        placement = placement with { Tx = 200 - centre.X, Ty = 200 - centre.Y };
        Point2[] template = ArcFaceTemplate.ForSize(cropSize);
        Point2[] placed = Array.ConvertAll(template, placement.Apply);
        var landmarks = new FaceLandmarks(placed[0], placed[1], placed[2], placed[3], placed[4]);

        for (int i = 0; i < 5; i++)
        {
            using Image<Rgb24> photo = SoftDot(400, 400, placed[i], sigma: 2.0 * scale);
            using Image<Rgb24> crop = FaceAligner.Align(photo, landmarks, cropSize);

            Assert.Equal((cropSize, cropSize), (crop.Width, crop.Height));
            (double x, double y) = Centroid(crop);
            // The issue asks for 1 px; a quarter pixel also catches half-pixel convention slips.
            Assert.InRange(Math.Abs(x - template[i].X), 0, 0.25);
            Assert.InRange(Math.Abs(y - template[i].Y), 0, 0.25);
        }
    }

    [Theory]
    [InlineData(112)]
    [InlineData(224)]
    [InlineData(64)]
    public void Template_scales_with_the_crop_size(int size)
    {
        Point2[] template = ArcFaceTemplate.ForSize(size);
        var landmarks = new FaceLandmarks(template[0], template[1], template[2], template[3], template[4]);

        SimilarityTransform t = FaceAligner.TransformFor(landmarks, size);

        Assert.Equal(1.0, t.Scale, 1e-5);
        Assert.Equal(0.0, t.Rotation, 1e-5);
        Assert.Equal(38.2946 * size / 112, template[0].X, 1e-3);
    }

    [Fact]
    public void Identity_alignment_copies_the_pixels()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        Point2[] template = ArcFaceTemplate.ForSize(112);
        var landmarks = new FaceLandmarks(template[0], template[1], template[2], template[3], template[4]);

        using Image<Rgb24> crop = FaceAligner.Align(photo, landmarks);

        for (int y = 0; y < 112; y += 3)
        {
            for (int x = 0; x < 112; x += 3)
            {
                Assert.Equal(photo[x, y], crop[x, y]);
            }
        }
    }

    [Fact]
    public void Outside_the_photo_is_black()
    {
        using var photo = new Image<Rgb24>(50, 50, new Rgb24(200, 200, 200));
        // Landmarks near the photo's corner: most of the crop lies outside the photo.
        Point2[] template = ArcFaceTemplate.ForSize(112);
        Point2[] shifted = Array.ConvertAll(template, p => new Point2(p.X - 60, p.Y - 60));
        var landmarks = new FaceLandmarks(shifted[0], shifted[1], shifted[2], shifted[3], shifted[4]);

        using Image<Rgb24> crop = FaceAligner.Align(photo, landmarks);

        Assert.Equal(new Rgb24(0, 0, 0), crop[0, 0]);
        Assert.Equal(new Rgb24(200, 200, 200), crop[100, 100]);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(5000)]
    public void Nonsense_sizes_are_refused(int size)
    {
        using var photo = new Image<Rgb24>(50, 50);
        Point2[] t = ArcFaceTemplate.ForSize(112);

        Assert.Throws<ArgumentOutOfRangeException>(() => FaceAligner.Align(photo, new FaceLandmarks(t[0], t[1], t[2], t[3], t[4]), size));
    }

    private static Image<Rgb24> SoftDot(int width, int height, Point2 centre, double sigma)
    {
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double d2 = ((x - centre.X) * (x - centre.X)) + ((y - centre.Y) * (y - centre.Y));
                byte v = (byte)Math.Round(255 * Math.Exp(-d2 / (2 * sigma * sigma)));
                image[x, y] = new Rgb24(v, v, v);
            }
        }

        return image;
    }

    private static (double X, double Y) Centroid(Image<Rgb24> image)
    {
        double sum = 0, sx = 0, sy = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                double w = image[x, y].R;
                sum += w;
                sx += w * x;
                sy += w * y;
            }
        }

        return (sx / sum, sy / sum);
    }
}
