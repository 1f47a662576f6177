using BenchmarkDotNet.Attributes;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Mtcnn;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// Filling R-Net's input for 1,000 candidates (24×24) from a 1920×1080 photo: area-resampled straight into the
/// tensor (ours), against cutting each box out as an image, resizing it with ImageSharp and copying it in.
/// </summary>
[MemoryDiagnoser]
public class CropBenchmarks
{
    private const int Size = 24;
    private Image<Rgb24> _photo = null!;
    private FaceBox[] _boxes = [];
    private float[] _tensor = [];

    [GlobalSetup]
    public void Setup()
    {
        _photo = SyntheticPhoto.Create(1920, 1080);
        var random = new Random(3);
        _boxes = Enumerable.Range(0, 1000).Select(_ =>
        {
            float side = 12 + (random.NextSingle() * 200), x = (random.NextSingle() * 1950) - 15, y = (random.NextSingle() * 1100) - 15;
            return new FaceBox(x, y, x + side, y + side);
        }).ToArray();
        _tensor = new float[_boxes.Length * 3 * Size * Size];
    }

    [GlobalCleanup]
    public void Cleanup() => _photo.Dispose();

    [Benchmark(Baseline = true, Description = "area-resampled straight into the tensor (ours)")]
    public void StraightIntoTensor()
    {
        int slot = 3 * Size * Size;
        for (int i = 0; i < _boxes.Length; i++)
        {
            CropSampler.Sample(_photo, _boxes[i], CropBorder.Zero, Size, _tensor.AsSpan(i * slot, slot));
        }
    }

    [Benchmark(Description = "ImageSharp crop + resize, then copy")]
    public void ImageSharpCropResize()
    {
        int slot = 3 * Size * Size, plane = Size * Size;
        var bounds = new Rectangle(0, 0, _photo.Width, _photo.Height);
        for (int i = 0; i < _boxes.Length; i++)
        {
            var b = _boxes[i];
            var rect = Rectangle.Intersect(bounds, new Rectangle((int)b.X1, (int)b.Y1, Math.Max(1, (int)b.Width), Math.Max(1, (int)b.Height)));
            if (rect.Width <= 0 || rect.Height <= 0)
            {
                continue;
            }

            using var crop = _photo.Clone(x => x.Crop(rect).Resize(Size, Size, KnownResamplers.Box));
            for (int y = 0; y < Size; y++)
            {
                for (int x = 0; x < Size; x++)
                {
                    var p = crop[x, y];
                    int o = (i * slot) + (y * Size) + x;
                    _tensor[o] = (p.R - 127.5f) / 128f;
                    _tensor[plane + o] = (p.G - 127.5f) / 128f;
                    _tensor[(2 * plane) + o] = (p.B - 127.5f) / 128f;
                }
            }
        }
    }
}
