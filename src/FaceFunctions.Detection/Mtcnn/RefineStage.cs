using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>A candidate that passed a refinement network: its input box, the new score and regression.</summary>
internal delegate void RefineResult(Candidate passed, float[][] outputs, int row);

/// <summary>
/// Stages 2 and 3 share this: crop every candidate to the network's input size, run the crops in batches and keep
/// those whose face probability reaches the stage's threshold.
/// </summary>
/// <param name="network">R-Net or O-Net, called directly or through a <see cref="MicroBatcher"/>.</param>
/// <param name="size">The network's input side (24 or 48).</param>
/// <param name="batchSize">Crops per network call.</param>
internal sealed class RefineStage(IRefineRunner network, int size, int batchSize) : IDisposable
{
    /// <summary>
    /// Crops candidates straight into batched input tensors and hands back, in candidate order, those whose face
    /// probability reaches <paramref name="threshold"/>.
    /// Batches run in parallel (each single-threaded, like P-Net's tiles); results are delivered in order afterwards
    /// so the outcome does not depend on scheduling.
    /// </summary>
    public void Run(Image<Rgb24> image, List<Candidate> candidates, CropBorder border, float threshold, int threads, RefineResult onPassed)
    {
        int slot = 3 * size * size;
        int batches = (candidates.Count + batchSize - 1) / batchSize;
        var results = new float[batches][][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, batches, parallel, batch =>
        {
            int start = batch * batchSize, n = Math.Min(batchSize, candidates.Count - start);
            var buffer = ArrayPool<float>.Shared.Rent(n * slot);
            try
            {
                for (int i = 0; i < n; i++)
                {
                    CropSampler.Sample(image, candidates[start + i].Box, border, size, buffer.AsSpan(i * slot, slot));
                }

                results[batch] = network.Run(buffer.AsMemory(0, n * slot), n);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        });

        for (int batch = 0; batch < batches; batch++)
        {
            int start = batch * batchSize, n = Math.Min(batchSize, candidates.Count - start);
            var outputs = results[batch];
            var prob = outputs[0];
            var reg = outputs[1].AsSpan();
            for (int i = 0; i < n; i++)
            {
                float score = prob[(i * 2) + 1];
                if (score >= threshold)
                {
                    var r = reg.Slice(i * 4, 4);
                    onPassed(new Candidate { Box = candidates[start + i].Box, Score = score, Dx1 = r[0], Dy1 = r[1], Dx2 = r[2], Dy2 = r[3] }, outputs, i);
                }
            }
        }
    }

    public void Dispose() => network.Dispose();
}
