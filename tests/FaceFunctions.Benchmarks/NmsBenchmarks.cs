using BenchmarkDotNet.Attributes;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// The naive O(n²) NMS against the sorted, SIMD, survivor-compacting one, on boxes clustered like P-Net's
/// candidates around faces (many suppressed) and at the O-Net stage's Min overlap.
/// </summary>
[MemoryDiagnoser]
public class NmsBenchmarks
{
    private FaceBox[] _boxes = [];
    private float[] _scores = [];
    private int[] _keep = [];

    [Params(100, 1_000, 10_000)]
    public int N { get; set; }

    // NmsMode is internal to the core, and BenchmarkDotNet parameters must be public: the mode by name.
    [Params(nameof(NmsMode.Union), nameof(NmsMode.Min))]
    public string Overlap { get; set; } = nameof(NmsMode.Union);

    private NmsMode Mode => Enum.Parse<NmsMode>(Overlap);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        // About one face per 25 candidates, the density P-Net produces on a crowded photo.
        var centres = Enumerable.Range(0, Math.Max(1, N / 25))
            .Select(_ => (X: random.NextSingle() * 4000f, Y: random.NextSingle() * 3000f, Size: 20f + (random.NextSingle() * 200f)))
            .ToArray();
        _boxes = new FaceBox[N];
        _scores = new float[N];
        for (var i = 0; i < N; i++)
        {
            var (x, y, size) = centres[random.Next(centres.Length)];
            var jitter = size * 0.3f;
            var x1 = x + ((random.NextSingle() - 0.5f) * jitter);
            var y1 = y + ((random.NextSingle() - 0.5f) * jitter);
            var s = size * (0.8f + (random.NextSingle() * 0.4f));
            _boxes[i] = new FaceBox(x1, y1, x1 + s, y1 + s);
            _scores[i] = 0.6f + (random.NextSingle() * 0.4f);
        }

        _keep = new int[N];
    }

    [Benchmark(Baseline = true)]
    public int Naive() => NaiveNms.Suppress(_boxes, _scores, 0.5f, Mode, _keep);

    [Benchmark]
    public int SortedSimdCompacting() => Nms.Suppress(_boxes, _scores, 0.5f, Mode, _keep);
}
