using FaceFunctions.Detection;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Storage.Tests;

/// <summary>
/// Two real detection pipelines (real ONNX models) that differ in one detection option, so results of one are
/// "another detector configuration" for the other; created once for all tests, like in a worker.
/// </summary>
public sealed class Pipelines : IDisposable
{
    public PhotoPipeline Current { get; } = Create(minFaceSize: 20);

    public PhotoPipeline Other { get; } = Create(minFaceSize: 40);

    /// <summary>A small, valid PNG, different for every <paramref name="seed"/>: detection on it takes milliseconds.</summary>
    public static byte[] SmallPhoto(int seed)
    {
        using var image = new Image<Rgb24>(40, 40);
        var random = new Random(seed);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var pixel in rows.GetRowSpan(y))
                {
                    pixel = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                }
            }
        });
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }

    /// <summary>NASA's public-domain astronaut portrait (one face), placed by tests/tools/setup-fixtures.sh.</summary>
    public static byte[] Astronaut()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "FaceFunctions.Detection.Tests", "Fixtures", "skimage", "astronaut.png");
            if (File.Exists(path))
            {
                return File.ReadAllBytes(path);
            }
        }

        throw new FileNotFoundException("astronaut.png is missing: run bash tests/tools/setup-fixtures.sh (bash tests/run.sh does).");
    }

    public void Dispose()
    {
        Current.Dispose();
        Other.Dispose();
    }

    private static PhotoPipeline Create(int minFaceSize) => PhotoPipeline.Create(new PipelineOptions
    {
        Inference = new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, Threads = 1 },
        Detection = new DetectionOptions { MinFaceSize = minFaceSize },
        Output = new OutputOptions { WriteAnnotated = true, WriteAnonymized = true },
    });
}
