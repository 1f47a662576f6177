using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Rendering;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Tests.Rendering;

public sealed class RenderingTests
{
    private static readonly DetectedFace AstronautFace = Fixtures.AstronautFace;

    [Fact]
    public void Annotation_draws_box_landmarks_and_score_on_a_copy()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        using Image<Rgb24> original = photo.Clone();

        using Image<Rgb24> annotated = Annotator.Annotate(photo, [AstronautFace]);

        Assert.Equal(photo.Size(), annotated.Size());
        ImageAssert.Identical(original, photo);
        Assert.Equal(Annotator.BoxColour, annotated[181, 120]); // left edge of the box
        Assert.Equal(Annotator.BoxColour, annotated[220, 171]); // bottom edge
        Assert.Equal(Annotator.LandmarkColours[0], annotated[205, 102]);
        Assert.Equal(Annotator.LandmarkColours[4], annotated[245, 142]);
        Assert.Equal(photo[224, 100], annotated[224, 100]); // inside the face, away from every mark
        Assert.Equal(photo[20, 400], annotated[20, 400]); // far from the face

        // The score label sits just above the box: dark background with box-coloured digits.
        int label = CountPixels(annotated, new Rectangle(181, 40, 60, 22), Annotator.BoxColour);
        int background = CountPixels(annotated, new Rectangle(181, 40, 60, 22), Annotator.LabelBackground);
        Assert.InRange(label, 40, 400);
        Assert.InRange(background, 200, 1320);
    }

    [Fact]
    public void Score_text_renders_every_digit()
    {
        using var image = new Image<Rgb24>(200, 40);
        image.ProcessPixelRows(p => new PixelCanvas(p).DrawText("0123456789.", 2, 2, 2, new Rgb24(255, 255, 255)));

        int ink = CountPixels(image, new Rectangle(0, 0, 200, 40), new Rgb24(255, 255, 255));
        Assert.Equal(BitmapFont.Width("0123456789.") * 2, ExtentX(image) + 1 - 2);
        Assert.InRange(ink, 4 * 150, 4 * 250);
    }

    [Fact]
    public void Annotation_survives_faces_partly_or_wholly_outside_the_photo()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Coffee);
        DetectedFace[] faces =
        [
            new(new FaceBox(-50, -50, 40, 30), 0.9f, AstronautFace.Landmarks),
            new(new FaceBox(580, 390, 700, 500), 1f, AstronautFace.Landmarks),
            new(new FaceBox(5000, 5000, 6000, 6000), 0.7f, AstronautFace.Landmarks),
            new(new FaceBox(float.NaN, 0, 10, 10), 0.7f, AstronautFace.Landmarks),
        ];

        using Image<Rgb24> annotated = Annotator.Annotate(photo, faces);

        Assert.Equal(photo.Size(), annotated.Size());
        Assert.Equal(Annotator.BoxColour, annotated[39, 10]); // right edge of the first box
    }

    [Fact]
    public void Annotation_scales_with_the_photo()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        photo.Mutate(x => x.Resize(2048, 2048));
        var face = new DetectedFace(new FaceBox(688, 248, 1112, 736), 0.5f, AstronautFace.Landmarks);

        using Image<Rgb24> annotated = Annotator.Annotate(photo, [face]);

        // 2048 / 250 ≈ 8 px lines.
        for (int dx = 0; dx < 8; dx++)
        {
            Assert.Equal(Annotator.BoxColour, annotated[688 + dx, 500]);
        }
    }

    [Fact]
    public void Anonymized_copy_destroys_detail_inside_faces_only()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);

        using Image<Rgb24> anonymized = Anonymizer.Anonymize(photo, [AstronautFace]);

        Assert.Equal(photo.Size(), anonymized.Size());
        Rectangle face = Rectangle.FromLTRB(181, 62, 268, 172);
        Assert.InRange(Detail(anonymized, face), 0, Detail(photo, face) * 0.1);
        Assert.True(ImageAssert.MeanAbsoluteDifference(Crop(photo, face), Crop(anonymized, face)) > 5);
        Rectangle region = Anonymizer.RegionOf(AstronautFace.Box, photo.Bounds())!.Value;
        for (int y = 0; y < photo.Height; y += 4)
        {
            for (int x = 0; x < photo.Width; x += 4)
            {
                if (!region.Contains(x, y))
                {
                    Assert.Equal(photo[x, y], anonymized[x, y]);
                }
            }
        }
    }

    [Fact]
    public void Anonymization_is_as_strong_for_a_huge_face()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        photo.Mutate(x => x.Resize(3072, 3072));
        var face = new DetectedFace(new FaceBox(1032, 372, 1668, 1104), 0.99f, AstronautFace.Landmarks);

        using Image<Rgb24> anonymized = Anonymizer.Anonymize(photo, [face]);

        // Seen at the same relative scale as the small test (shrunk to about 106 px wide), no detail remains.
        Rectangle box = Rectangle.FromLTRB(1032, 372, 1668, 1104);
        using Image<Rgb24> small = Crop(anonymized, box);
        using Image<Rgb24> smallOriginal = Crop(photo, box);
        small.Mutate(x => x.Resize(106, 122));
        smallOriginal.Mutate(x => x.Resize(106, 122));
        Rectangle all = new(0, 0, 106, 122);
        Assert.InRange(Detail(small, all), 0, Detail(smallOriginal, all) * 0.1);
    }

    [Fact]
    public void Previews_encode_as_jpeg_and_png()
    {
        var loader = new SafeImageLoader();
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        using Image<Rgb24> annotated = Annotator.Annotate(photo, [AstronautFace]);
        using var jpeg = new MemoryStream();
        using var png = new MemoryStream();

        ImageEncoding.WriteJpeg(annotated, jpeg);
        ImageEncoding.WritePng(annotated, png);

        jpeg.Position = 0;
        png.Position = 0;
        using LoadedImage fromJpeg = loader.Load(jpeg);
        using LoadedImage fromPng = loader.Load(png);
        Assert.Equal("jpeg", fromJpeg.Format);
        ImageAssert.Identical(annotated, fromPng.Image);
        Assert.InRange(ImageAssert.MeanAbsoluteDifference(annotated, fromJpeg.Image), 0, 2.5);
    }

    private static int CountPixels(Image<Rgb24> image, Rectangle area, Rgb24 colour)
    {
        int count = 0;
        for (int y = area.Top; y < area.Bottom; y++)
        {
            for (int x = area.Left; x < area.Right; x++)
            {
                count += image[x, y].Equals(colour) ? 1 : 0;
            }
        }

        return count;
    }

    private static int ExtentX(Image<Rgb24> image)
    {
        int last = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (image[x, y].R != 0)
                {
                    last = Math.Max(last, x);
                }
            }
        }

        return last;
    }

    /// <summary>
    /// Mean absolute Laplacian (second difference) per channel: fine detail such as eyes and edges. Smooth
    /// colour gradients, which are all the anonymised copy keeps, have almost none.
    /// </summary>
    private static double Detail(Image<Rgb24> image, Rectangle area)
    {
        double sum = 0;
        int n = 0;
        for (int y = area.Top + 1; y < area.Bottom - 1; y++)
        {
            for (int x = area.Left + 1; x < area.Right - 1; x++)
            {
                Rgb24 c = image[x, y];
                Rgb24 l = image[x - 1, y];
                Rgb24 r = image[x + 1, y];
                Rgb24 u = image[x, y - 1];
                Rgb24 d = image[x, y + 1];
                sum += Math.Abs((4 * c.R) - l.R - r.R - u.R - d.R)
                    + Math.Abs((4 * c.G) - l.G - r.G - u.G - d.G)
                    + Math.Abs((4 * c.B) - l.B - r.B - u.B - d.B);
                n += 3;
            }
        }

        return sum / n;
    }

    private static Image<Rgb24> Crop(Image<Rgb24> image, Rectangle area) => image.Clone(x => x.Crop(area));
}
