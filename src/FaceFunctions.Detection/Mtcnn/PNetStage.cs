using System.Buffers;
using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// Stage 1: scans the image pyramid with P-Net, tile by tile, and hands on the candidates that survive NMS per level
/// and across levels, regressed and squared for R-Net.
/// </summary>
internal sealed class PNetStage(OnnxNetwork network) : IDisposable
{
    public List<Candidate> Run(Image<Rgb24> image, DetectionOptions options, InferenceOptions settings, ref StageTimer timer)
    {
        var levels = PyramidScales.For(image.Width, image.Height, options.MinFaceSize, options.ScaleFactor);
        var tiles = PNetTile.Plan(levels, settings.PNetTilePixels);
        var perLevel = new List<Candidate>[levels.Count];
        for (int i = 0; i < perLevel.Length; i++)
        {
            perLevel[i] = [];
        }

        // Tiles run in parallel, each single-threaded: small convolutions scale far better across tiles than
        // within one. Each tile resamples just the level rows it needs, so no level ever exists whole and memory
        // stays at a few tiles per thread whatever the photo's size.
        long resampleTicks = 0, networkTicks = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.EffectiveThreads };
        Parallel.ForEach(tiles, parallel, tile =>
        {
            var level = levels[tile.Level];
            int length = 3 * tile.InputRows * level.Width;
            var input = ArrayPool<float>.Shared.Rent(length);
            try
            {
                long start = Stopwatch.GetTimestamp();
                AreaResampler.Resample(image, level.Width, level.Height, tile.InputRow, tile.InputRows, input.AsSpan(0, length));
                long resampled = Stopwatch.GetTimestamp();
                var cells = ScanTile(input.AsMemory(0, length), level.Width, tile.InputRows, tile.FirstCellRow, level.Scale, options.PNetThreshold);
                Interlocked.Add(ref resampleTicks, resampled - start);
                Interlocked.Add(ref networkTicks, Stopwatch.GetTimestamp() - resampled);
                lock (perLevel[tile.Level])
                {
                    perLevel[tile.Level].AddRange(cells);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(input);
            }
        });

        var all = new List<Candidate>();
        foreach (var cells in perLevel)
        {
            // Tiles finish in any order: sort back into scan order so NMS breaks score ties as a sequential scan would.
            cells.Sort(static (a, b) => a.Box.Y1 != b.Box.Y1 ? a.Box.Y1.CompareTo(b.Box.Y1) : a.Box.X1.CompareTo(b.Box.X1));
            all.AddRange(BoxMath.Suppress(cells, 0.5f, NmsMode.Union));
        }

        // The stage's wall time, split between resampling and P-Net in proportion to the work each did.
        timer.Split(ref timer.Pyramid, ref timer.PNet, resampleTicks, networkTicks);
        return BoxMath.NextStageBoxes(BoxMath.Suppress(all, 0.7f, NmsMode.Union), static c => c.RegressedWithoutPlusOne());
    }

    public void Dispose() => network.Dispose();

    private List<Candidate> ScanTile(Memory<float> input, int width, int height, int firstRow, float scale, float threshold)
    {
        var found = new List<Candidate>();
        using var outputs = network.Run(input, [1, 3, height, width]);
        var prob = outputs[0].GetTensorDataAsSpan<float>();
        var reg = outputs[1].GetTensorDataAsSpan<float>();
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        int h = (int)shape[2], w = (int)shape[3], plane = h * w;
        var face = prob.Slice(plane, plane);
        for (int i = 0; i < plane; i++)
        {
            if (face[i] < threshold)
            {
                continue;
            }

            int x = i % w, y = (i / w) + firstRow;
            // The cell's 12×12 window, mapped back to the photo in the authors' 1-based pixel convention.
            found.Add(new Candidate
            {
                Box = new FaceBox(
                    MathF.Floor(((2 * x) + 1) / scale),
                    MathF.Floor(((2 * y) + 1) / scale),
                    MathF.Floor(((2 * x) + 12) / scale),
                    MathF.Floor(((2 * y) + 12) / scale)),
                Score = face[i],
                Dx1 = reg[i],
                Dy1 = reg[plane + i],
                Dx2 = reg[(2 * plane) + i],
                Dy2 = reg[(3 * plane) + i],
            });
        }

        return found;
    }
}
