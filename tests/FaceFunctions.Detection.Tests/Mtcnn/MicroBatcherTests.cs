using FaceFunctions.Detection.Models;
using FaceFunctions.Detection.Mtcnn;
using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.Detection.Tests.Mtcnn;

/// <summary>
/// The cross-photo batcher meant for the GPU, checked on the CPU with the real R-Net: every caller gets exactly
/// the rows a call of its own would give, while several callers share network calls.
/// </summary>
public sealed class MicroBatcherTests
{
    private const int Size = 24;
    private const int Slot = 3 * Size * Size;

    [Fact]
    public void Concurrent_callers_share_calls_and_each_gets_its_own_rows()
    {
        var models = ModelSet.Load();
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var direct = new OnnxNetwork(models.RNetPath, options, "prob", "reg");
        using var batcher = new MicroBatcher(new OnnxNetwork(models.RNetPath, options, "prob", "reg"), Size, maxCrops: 4096, TimeSpan.FromMilliseconds(200));
        var random = new Random(5);
        var requests = Enumerable.Range(0, 8).Select(i =>
        {
            var crops = new float[(i + 1) * 3 * Slot];
            for (int k = 0; k < crops.Length; k++)
            {
                crops[k] = (random.NextSingle() * 2) - 1;
            }

            return crops;
        }).ToArray();

        var batched = new float[requests.Length][][];
        Parallel.For(0, requests.Length, new ParallelOptions { MaxDegreeOfParallelism = requests.Length }, i =>
            batched[i] = batcher.Run(requests[i], requests[i].Length / Slot));

        Assert.True(batcher.NetworkCalls < requests.Length, $"{batcher.NetworkCalls} calls for {requests.Length} requests");
        for (int i = 0; i < requests.Length; i++)
        {
            var alone = direct.RunToArrays(requests[i], [requests[i].Length / Slot, 3, Size, Size]);
            Assert.Equal(alone.Length, batched[i].Length);
            for (int o = 0; o < alone.Length; o++)
            {
                Assert.Equal(alone[o].Length, batched[i][o].Length);
                for (int k = 0; k < alone[o].Length; k++)
                {
                    Assert.Equal(alone[o][k], batched[i][o][k], 1e-5f);
                }
            }
        }
    }

    [Fact]
    public void Photos_detected_together_through_the_batcher_get_the_faces_they_get_alone()
    {
        using var astronaut = Fixtures.Load(Fixtures.Astronaut);
        using var camera = Fixtures.Load(Fixtures.Camera);
        using var plain = MtcnnDetector.Create(ModelSet.Load(), new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, Threads = 1 });
        using var batching = MtcnnDetector.Create(ModelSet.Load(), new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, Threads = 1, BatchAcrossPhotos = true });
        var expected = new[] { plain.Detect(astronaut, DetectionOptions.Default).Faces, plain.Detect(camera, DetectionOptions.Default).Faces };

        var results = new IReadOnlyList<DetectedFace>[6];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length }, i =>
            results[i] = batching.Detect(i % 2 == 0 ? astronaut : camera, DetectionOptions.Default).Faces);

        for (int i = 0; i < results.Length; i++)
        {
            var want = expected[i % 2];
            Assert.Equal(want.Count, results[i].Count);
            for (int f = 0; f < want.Count; f++)
            {
                Assert.True(MtcnnDetectorTests.Iou(want[f].Box, results[i][f].Box) > 0.999, $"{want[f].Box} vs {results[i][f].Box}");
                Assert.Equal(want[f].Score, results[i][f].Score, 1e-4f);
            }
        }
    }
}
