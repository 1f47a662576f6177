using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>The real detection pipeline (real ONNX models), created once like in a worker, and group photos made from the test photos.</summary>
public sealed class PipelineFixture : IDisposable
{
    public PipelineFixture()
    {
        Pipeline = PhotoPipeline.Create(new PipelineOptions
        {
            Inference = new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, Threads = 1 },
            Output = new OutputOptions { WriteAnnotated = true, WriteAnonymized = true },
        });
    }

    public PhotoPipeline Pipeline { get; }

    /// <summary><paramref name="copies"/> astronauts side by side: a group photo with that many faces.</summary>
    public static byte[] Group(int copies)
    {
        using var astronaut = Fixtures.Load(Fixtures.Astronaut);
        using var group = new Image<Rgb24>(astronaut.Width * copies, astronaut.Height);
        for (var i = 0; i < copies; i++)
        {
            var x = i * astronaut.Width;
            group.Mutate(g => g.DrawImage(astronaut, new Point(x, 0), 1f));
        }

        using var png = new MemoryStream();
        group.SaveAsPng(png);
        return png.ToArray();
    }

    public void Dispose() => Pipeline.Dispose();
}
