using System.Buffers;
using System.Diagnostics;
using FaceFunctions.Detection.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// The MTCNN cascade (Zhang et al. 2016) as its authors run it: an image pyramid scanned by P-Net, candidates
/// refined by R-Net and O-Net, NMS and box regression after each stage, five landmarks from O-Net.
/// Thread-safe: one instance per process serves concurrent photos.
/// </summary>
public sealed class MtcnnDetector : IDisposable
{
    private const int RNetSize = 24;
    private const int ONetSize = 48;

    // Crops per R-Net/O-Net call. Past a few dozen crops a bigger batch buys no speed on the CPU
    // (docs/performance.md), while ONNX Runtime keeps the largest activations it has needed: O-Net's first layer
    // alone is 1 MB per crop.
    private const int RNetBatch = 128;
    private const int ONetBatch = 32;

    private readonly OnnxNetwork _pnet;
    private readonly IRefineRunner _rnet;
    private readonly IRefineRunner _onet;
    private readonly InferenceOptions _settings;
    private bool _disposed;

    private MtcnnDetector(ModelSet models, InferenceOptions settings, SessionOptions sessionOptions, string provider)
    {
        _settings = settings;
        ModelsId = models.ModelsId;
        ExecutionProviderInUse = provider;
        _pnet = new OnnxNetwork(models.PNetPath, sessionOptions, "prob", "reg");
        var rnet = new OnnxNetwork(models.RNetPath, sessionOptions, "prob", "reg");
        var onet = new OnnxNetwork(models.ONetPath, sessionOptions, "prob", "reg", "landmarks");
        if (settings.BatchAcrossPhotos ?? provider == "cuda")
        {
            _rnet = new MicroBatcher(rnet, RNetSize, maxCrops: 2048, settings.BatchWindow);
            _onet = new MicroBatcher(onet, ONetSize, maxCrops: 512, settings.BatchWindow);
        }
        else
        {
            _rnet = new DirectRunner(rnet, RNetSize);
            _onet = new DirectRunner(onet, ONetSize);
        }
    }

    /// <summary>A stable identity of the models the detector runs (a hash over them), for detection documents.</summary>
    internal string ModelsId { get; }

    /// <summary>Whether this build carries ONNX Runtime's CUDA provider (-p:OnnxRuntimeFlavor=Gpu).</summary>
#if ONNXRUNTIME_GPU
    internal static bool IsGpuBuild => true;
#else
    internal static bool IsGpuBuild => false;
#endif

    /// <summary>"cuda" or "cpu": what <see cref="ExecutionProvider.Auto"/> settled on.</summary>
    internal string ExecutionProviderInUse { get; }

    /// <summary>
    /// Starts loading ONNX Runtime's native library and environment on a pool thread. That is about half of a cold
    /// start (docs/performance.md); a host that calls this first overlaps it with its own start-up work, and must
    /// wait for the task before the process exits (ONNX Runtime's teardown must not race its initialisation).
    /// The task never faults: when ONNX Runtime cannot load, creating the detector reports it.
    /// </summary>
    public static Task WarmUpAsync() => Task.Run(static () =>
    {
        try
        {
            OrtEnv.Instance();
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            // Left to MtcnnDetector.Create, which fails with the same cause where the caller can handle it.
        }
    });

    /// <summary>Loads the three networks once. Fails fast when <see cref="ExecutionProvider.Cuda"/> cannot load.</summary>
    internal static MtcnnDetector Create(ModelSet models, InferenceOptions? settings = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        settings = (settings ?? new InferenceOptions()).Validate();
        logger ??= NullLogger.Instance;
        using var options = SessionOptionsFactory.CreateCpu();
        if (settings.ExecutionProvider == ExecutionProvider.Cpu || (settings.ExecutionProvider == ExecutionProvider.Auto && !IsGpuBuild))
        {
            // A CPU build has no CUDA provider to try: 'auto' means the CPU, with nothing to warn about.
            return new MtcnnDetector(models, settings, options, "cpu");
        }

        try
        {
            using var cuda = SessionOptionsFactory.CreateCuda();
            return new MtcnnDetector(models, settings, cuda, "cuda");
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            if (settings.ExecutionProvider == ExecutionProvider.Cuda)
            {
                throw new InvalidOperationException(
                    "Detection:ExecutionProvider is 'cuda' but ONNX Runtime's CUDA provider could not be loaded. " +
                    "It needs the GPU build (-p:OnnxRuntimeFlavor=Gpu), CUDA 13 and cuDNN 9 libraries on the library path, " +
                    $"and an NVIDIA GPU. Use 'auto' to fall back to the CPU. Cause: {ex.Message}", ex);
            }

            logger.LogWarning("CUDA is not available ({Reason}); MTCNN runs on the CPU.", ex.Message);
            return new MtcnnDetector(models, settings, options, "cpu");
        }
    }

    public DetectionResult Detect(Image<Rgb24> image, DetectionOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var total = Stopwatch.StartNew();
        var timer = StageTimer.Start();

        var candidates = RunPNet(image, options, ref timer);
        candidates = RunRNet(image, candidates, options);
        timer.Lap(ref timer.RNet);
        var faces = RunONet(image, candidates, options);
        timer.Lap(ref timer.ONet);

        faces.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (options.MaxFaces > 0 && faces.Count > options.MaxFaces)
        {
            faces.RemoveRange(options.MaxFaces, faces.Count - options.MaxFaces);
        }

        var timings = new StageTimings(timer.Pyramid, timer.PNet, timer.RNet, timer.ONet, total.Elapsed.TotalMilliseconds);
        return new DetectionResult(faces, timings);
    }

    public void Dispose()
    {
        _disposed = true;
        _pnet.Dispose();
        _rnet.Dispose();
        _onet.Dispose();
    }

    private List<Candidate> RunPNet(Image<Rgb24> image, DetectionOptions options, ref StageTimer timer)
    {
        var levels = PyramidScales.For(image.Width, image.Height, options.MinFaceSize, options.ScaleFactor);
        var tiles = PNetTile.Plan(levels, _settings.PNetTilePixels);
        var perLevel = new List<Candidate>[levels.Count];
        for (int i = 0; i < perLevel.Length; i++)
        {
            perLevel[i] = [];
        }

        // Tiles run in parallel, each single-threaded: small convolutions scale far better across tiles than
        // within one. Each tile resamples just the level rows it needs, so no level ever exists whole and memory
        // stays at a few tiles per thread whatever the photo's size.
        long resampleTicks = 0, networkTicks = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _settings.EffectiveThreads };
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

    private List<Candidate> ScanTile(Memory<float> input, int width, int height, int firstRow, float scale, float threshold)
    {
        var found = new List<Candidate>();
        using var outputs = _pnet.Run(input, [1, 3, height, width]);
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

    private List<Candidate> RunRNet(Image<Rgb24> image, List<Candidate> candidates, DetectionOptions options)
    {
        var passed = new List<Candidate>();
        RunRefine(_rnet, image, candidates, options.Border, RNetSize, RNetBatch, options.RNetThreshold, (candidate, _, _) => passed.Add(candidate));

        return BoxMath.NextStageBoxes(BoxMath.Suppress(passed, 0.7f, NmsMode.Union), static c => c.Regressed());
    }

    private List<DetectedFace> RunONet(Image<Rgb24> image, List<Candidate> candidates, DetectionOptions options)
    {
        var passed = new List<Candidate>();
        var landmarks = new List<FaceLandmarks>();
        RunRefine(_onet, image, candidates, options.Border, ONetSize, ONetBatch, options.ONetThreshold, (candidate, outputs, row) =>
        {
            passed.Add(candidate);
            landmarks.Add(ToLandmarks(candidate.Box, outputs[2].AsSpan(row * 10, 10)));
        });

        // Landmarks come from O-Net's input box; the box itself is refined afterwards, then suppressed
        // by intersection over the smaller box so a face's inner duplicate cannot survive.
        var refined = new List<Candidate>(passed.Count);
        foreach (var c in passed)
        {
            refined.Add(c with { Box = c.Regressed() });
        }

        var boxes = refined.ConvertAll(c => c.Box).ToArray();
        var scores = refined.ConvertAll(c => c.Score).ToArray();
        var keep = new int[boxes.Length];
        int kept = Nms.Suppress(boxes, scores, 0.7f, NmsMode.Min, keep);
        var faces = new List<DetectedFace>(kept);
        for (int i = 0; i < kept; i++)
        {
            int k = keep[i];
            faces.Add(new DetectedFace(boxes[k], scores[k], landmarks[k]));
        }

        return faces;
    }

    private static FaceLandmarks ToLandmarks(FaceBox box, ReadOnlySpan<float> p)
    {
        // O-Net gives x1..x5 then y1..y5 as fractions of its input box; the -1 turns the authors' 1-based box
        // convention into 0-based pixel coordinates.
        float w = box.X2 - box.X1 + 1, h = box.Y2 - box.Y1 + 1;
        Span<Point2> points = stackalloc Point2[5];
        for (int k = 0; k < 5; k++)
        {
            points[k] = new Point2((w * p[k]) + box.X1 - 1, (h * p[5 + k]) + box.Y1 - 1);
        }

        return new FaceLandmarks(points[0], points[1], points[2], points[3], points[4]);
    }

    /// <summary>A candidate that passed a refinement network: its input box, the new score and regression.</summary>
    private delegate void RefineResult(Candidate passed, float[][] outputs, int row);

    /// <summary>
    /// Crops candidates straight into batched input tensors and hands back, in candidate order, those whose face
    /// probability reaches <paramref name="threshold"/>.
    /// Batches run in parallel (each single-threaded, like P-Net's tiles); results are delivered in order afterwards
    /// so the outcome does not depend on scheduling.
    /// </summary>
    private void RunRefine(IRefineRunner network, Image<Rgb24> image, List<Candidate> candidates, CropBorder border, int size, int batchSize, float threshold, RefineResult onPassed)
    {
        int slot = 3 * size * size;
        int batches = (candidates.Count + batchSize - 1) / batchSize;
        var results = new float[batches][][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _settings.EffectiveThreads };
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

    /// <summary>Splits the elapsed time of one detection into stages.</summary>
    private struct StageTimer
    {
        public double Pyramid;
        public double PNet;
        public double RNet;
        public double ONet;
        private long _last;

        public static StageTimer Start() => new() { _last = Stopwatch.GetTimestamp() };

        /// <summary>Ends a stage whose wall time is shared between two kinds of work, in proportion to their busy time.</summary>
        public void Split(ref double first, ref double second, long firstTicks, long secondTicks)
        {
            long now = Stopwatch.GetTimestamp();
            double wall = Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
            double share = firstTicks + secondTicks == 0 ? 0 : (double)firstTicks / (firstTicks + secondTicks);
            first += wall * share;
            second += wall * (1 - share);
            _last = now;
        }

        public void Lap(ref double stage)
        {
            long now = Stopwatch.GetTimestamp();
            stage += Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
            _last = now;
        }
    }
}
