using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Models;
using FaceFunctions.Detection.Mtcnn;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Tests.Imaging;

/// <summary>One detector for the class: creating ONNX sessions is the slow part.</summary>
public sealed class SharedDetector : IDisposable
{
    public MtcnnDetector Detector { get; } = MtcnnDetector.Create(ModelSet.Load());

    public void Dispose() => Detector.Dispose();
}

/// <summary>The loader and the detector together: what the pipeline sees after loading is what users mean.</summary>
public sealed class DetectionOnLoadedImagesTests(SharedDetector shared) : IClassFixture<SharedDetector>
{
    private static readonly SafeImageLoader Loader = new();

    [Theory]
    [MemberData(nameof(OrientationTests.Orientations), MemberType = typeof(OrientationTests))]
    public void Every_exif_orientation_gives_the_same_upright_face(int orientation)
    {
        using Image<Rgb24> upright = Fixtures.Load(Fixtures.Astronaut);
        using Image<Rgb24> stored = TestImages.StoredForOrientation(upright, orientation);

        using LoadedImage loaded = Loader.Load(new MemoryStream(TestImages.Jpeg(stored, quality: 95, orientation: orientation)));
        DetectedFace face = Assert.Single(shared.Detector.Detect(loaded.Image, DetectionOptions.Default).Faces);

        // JPEG noise moves MTCNN's regression by a fraction of a pixel; a wrong orientation moves it by hundreds.
        FaceBox expected = Fixtures.AstronautFace.Box;
        Assert.InRange(Math.Abs(face.Box.X1 - expected.X1), 0, 2);
        Assert.InRange(Math.Abs(face.Box.Y1 - expected.Y1), 0, 2);
        Assert.InRange(Math.Abs(face.Box.X2 - expected.X2), 0, 2);
        Assert.InRange(Math.Abs(face.Box.Y2 - expected.Y2), 0, 2);
        Assert.InRange(Math.Abs(face.Landmarks.LeftEye.X - Fixtures.AstronautFace.Landmarks.LeftEye.X), 0, 2);
    }

    [Theory]
    [InlineData(0.5f, 40, 60)]
    [InlineData(1.0f, 300, 150)]
    [InlineData(2.0f, 200, 100)]
    public void A_face_pasted_at_a_known_place_and_scale_is_found_there(float scale, int x, int y)
    {
        using Image<Rgb24> astronaut = Fixtures.Load(Fixtures.Astronaut);
        using Image<Rgb24> coffee = Fixtures.Load(Fixtures.Coffee);
        (Image<Rgb24> picture, FaceBox expected) = TestImages.PasteFace(astronaut, Fixtures.AstronautFace.Box, coffee, scale, new Point(x, y));
        using (picture)
        {
            using LoadedImage loaded = Loader.Load(new MemoryStream(TestImages.Png(picture)));
            DetectedFace face = Assert.Single(shared.Detector.Detect(loaded.Image, DetectionOptions.Default).Faces);

            Assert.InRange(IntersectionOverUnion(face.Box, expected), 0.8, 1.0);
        }
    }

    private static double IntersectionOverUnion(FaceBox a, FaceBox b)
    {
        double w = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        double h = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        double intersection = w * h;
        return intersection / ((a.Width * a.Height) + (b.Width * b.Height) - intersection);
    }
}
