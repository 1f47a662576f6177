using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Models;
using FaceFunctions.Detection.Mtcnn;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Tests.Mtcnn;

public sealed class MtcnnDetectorTests(DetectorFixture fixture) : IClassFixture<DetectorFixture>
{
    // facenet-pytorch's MTCNN (same weights) on skimage's astronaut.png: box [181.1, 62.2, 267.8, 172.1].
    private static readonly FaceBox ReferenceAstronautBox = new(181.1f, 62.2f, 267.8f, 172.1f);

    private readonly MtcnnDetector _detector = fixture.Detector;

    [Fact]
    public void Finds_the_astronaut_where_the_reference_implementation_does()
    {
        using var image = Fixtures.Load(Fixtures.Astronaut);

        var faces = _detector.Detect(image, DetectionOptions.Default).Faces;

        var face = Assert.Single(faces);
        Assert.True(face.Score > 0.99f, $"score {face.Score}");
        Assert.True(Iou(face.Box, ReferenceAstronautBox) > 0.95, $"box {face.Box}");
        var lm = face.Landmarks;
        Assert.True(lm.LeftEye.X < lm.RightEye.X, "the eye with the smaller x comes first");
        Assert.True(lm.LeftEye.Y < lm.Nose.Y && lm.Nose.Y < lm.MouthLeft.Y, "eyes above the nose above the mouth");
        foreach (var p in lm.ToArray())
        {
            Assert.InRange(p.X, face.Box.X1, face.Box.X2);
            Assert.InRange(p.Y, face.Box.Y1, face.Box.Y2);
        }
    }

    [Theory]
    [InlineData(Fixtures.Chelsea)]
    [InlineData(Fixtures.Coffee)]
    public void Finds_no_face_on_photos_without_one(string photo)
    {
        using var image = Fixtures.Load(photo);

        Assert.Empty(_detector.Detect(image, DetectionOptions.Default).Faces);
    }

    [Theory]
    [InlineData(1.0, 40, 30)]
    [InlineData(0.5, 300, 200)]
    [InlineData(0.3, 700, 500)]
    [InlineData(2.0, 100, 120)]
    public void Finds_a_face_pasted_at_a_known_place_and_scale(double scale, int left, int top)
    {
        // The astronaut's face region, scaled and pasted into a plain grey canvas: the detected box must
        // follow it exactly (translation) and proportionally (scale).
        using var photo = Fixtures.Load(Fixtures.Astronaut);
        var region = new Rectangle(160, 40, 130, 150);
        using var face = photo.Clone(x => x.Crop(region).Resize((int)(region.Width * scale), (int)(region.Height * scale)));
        using var canvas = new Image<Rgb24>(1024, 768, new Rgb24(128, 128, 128));
        canvas.Mutate(x => x.DrawImage(face, new Point(left, top), 1f));

        var found = Assert.Single(_detector.Detect(canvas, DetectionOptions.Default).Faces);

        var expected = new FaceBox(
            (float)(left + ((ReferenceAstronautBox.X1 - region.X) * scale)),
            (float)(top + ((ReferenceAstronautBox.Y1 - region.Y) * scale)),
            (float)(left + ((ReferenceAstronautBox.X2 - region.X) * scale)),
            (float)(top + ((ReferenceAstronautBox.Y2 - region.Y) * scale)));
        Assert.True(Iou(found.Box, expected) > 0.8, $"found {found.Box}, expected about {expected}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(11, 11)]
    [InlineData(5, 400)]
    [InlineData(12, 12)]
    [InlineData(13, 700)]
    public void Images_too_small_for_a_face_yield_no_face_and_no_error(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 150, 120));

        Assert.Empty(_detector.Detect(image, DetectionOptions.Default).Faces);
    }

    [Fact]
    public void All_eight_exif_orientations_give_the_same_upright_faces()
    {
        using var upright = Fixtures.Load(Fixtures.Astronaut);
        var loader = new SafeImageLoader();
        var boxes = new List<FaceBox>();
        for (int orientation = 1; orientation <= 8; orientation++)
        {
            using var stored = TestImages.StoredForOrientation(upright, orientation);
            using var loaded = loader.Load(new MemoryStream(TestImages.Jpeg(stored, 95, orientation)));
            Assert.Equal(orientation, loaded.Orientation);
            boxes.Add(Assert.Single(_detector.Detect(loaded.Image, DetectionOptions.Default).Faces).Box);
        }

        foreach (var box in boxes)
        {
            Assert.True(Iou(box, boxes[0]) > 0.97, $"{box} vs {boxes[0]}");
        }
    }

    [Fact]
    public void Scanning_large_levels_in_tiles_changes_nothing()
    {
        using var photo = Fixtures.Load(Fixtures.Astronaut);
        using var tiler = MtcnnDetector.Create(ModelSet.Load(), new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, PNetTilePixels = 64 * 64 });

        var whole = _detector.Detect(photo, DetectionOptions.Default).Faces;
        var tiled = tiler.Detect(photo, DetectionOptions.Default).Faces;

        Assert.Equal(whole, tiled);
    }

    [Fact]
    public void Concurrent_photos_on_one_detector_get_the_results_they_get_alone()
    {
        using var astronaut = Fixtures.Load(Fixtures.Astronaut);
        using var camera = Fixtures.Load(Fixtures.Camera);
        var aloneAstronaut = _detector.Detect(astronaut, DetectionOptions.Default).Faces;
        var aloneCamera = _detector.Detect(camera, DetectionOptions.Default).Faces;

        var results = new (IReadOnlyList<DetectedFace> Faces, bool IsAstronaut)[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            bool isAstronaut = i % 2 == 0;
            results[i] = (_detector.Detect(isAstronaut ? astronaut : camera, DetectionOptions.Default).Faces, isAstronaut);
        });

        foreach (var (faces, isAstronaut) in results)
        {
            Assert.Equal(isAstronaut ? aloneAstronaut : aloneCamera, faces);
        }
    }

    [Fact]
    public void MaxFaces_keeps_the_highest_scores()
    {
        using var canvas = new Image<Rgb24>(900, 400, new Rgb24(128, 128, 128));
        using var photo = Fixtures.Load(Fixtures.Astronaut);
        using var face = photo.Clone(x => x.Crop(new Rectangle(160, 40, 130, 150)));
        for (int i = 0; i < 4; i++)
        {
            canvas.Mutate(x => x.DrawImage(face, new Point(20 + (i * 220), 100), 1f));
        }

        var all = _detector.Detect(canvas, DetectionOptions.Default).Faces;
        var two = _detector.Detect(canvas, DetectionOptions.Default with { MaxFaces = 2 }).Faces;

        Assert.Equal(4, all.Count);
        Assert.Equal(all.Take(2), two);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Score >= p.Second.Score), "sorted by score, highest first");
    }

    [Theory]
    [InlineData(11, 0.709f, 0.6f)]
    [InlineData(20, 1.2f, 0.6f)]
    [InlineData(20, 0.709f, -0.1f)]
    [InlineData(20, float.NaN, 0.6f)]
    public void Nonsense_options_are_refused_with_a_message_naming_them(int minFace, float factor, float threshold)
    {
        using var image = new Image<Rgb24>(64, 64);
        var options = new DetectionOptions { MinFaceSize = minFace, ScaleFactor = factor, PNetThreshold = threshold };

        var error = Assert.Throws<ArgumentException>(() => _detector.Detect(image, options));

        Assert.Matches("MinFaceSize|ScaleFactor|PNetThreshold", error.Message);
    }

    [Fact]
    public void A_disposed_detector_refuses_to_detect()
    {
        var detector = MtcnnDetector.Create(ModelSet.Load(), new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu });
        detector.Dispose();
        using var image = new Image<Rgb24>(64, 64);

        Assert.Throws<ObjectDisposedException>(() => detector.Detect(image, DetectionOptions.Default));
    }

    [Fact]
    public void Cuda_on_a_build_or_machine_without_it_fails_fast_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MtcnnDetector.Create(ModelSet.Load(), new InferenceOptions { ExecutionProvider = ExecutionProvider.Cuda }));

        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
        Assert.Contains("auto", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_uses_the_cpu_where_cuda_cannot_load_and_warns_only_when_cuda_was_possible()
    {
        var logger = new RecordingLogger();
        using var detector = MtcnnDetector.Create(ModelSet.Load(), new InferenceOptions { ExecutionProvider = ExecutionProvider.Auto }, logger);

        Assert.Equal("cpu", detector.ExecutionProviderInUse);
        if (MtcnnDetector.IsGpuBuild)
        {
            Assert.Contains(logger.Warnings, w => w.Contains("CUDA", StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(logger.Warnings);
        }
    }

    internal static double Iou(FaceBox a, FaceBox b)
    {
        double iw = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        double ih = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        double inter = iw * ih;
        return inter / ((a.Width * a.Height) + (b.Width * b.Height) - inter);
    }
}
