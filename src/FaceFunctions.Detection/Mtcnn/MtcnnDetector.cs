using System.Diagnostics;
using FaceFunctions.Detection.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// The MTCNN cascade (Zhang et al. 2016) as its authors run it: an image pyramid scanned by P-Net
/// (<see cref="PNetStage"/>), candidates refined by R-Net and O-Net (<see cref="RefineStage"/>), NMS and box
/// regression after each stage, five landmarks from O-Net (<see cref="ONetOutput"/>).
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

    private readonly PNetStage _pnet;
    private readonly RefineStage _rnet;
    private readonly RefineStage _onet;
    private readonly InferenceOptions _settings;
    private bool _disposed;

    private MtcnnDetector(ModelSet models, InferenceOptions settings, SessionOptions sessionOptions, string provider)
    {
        _settings = settings;
        ModelsId = models.ModelsId;
        ExecutionProviderInUse = provider;
        _pnet = new PNetStage(new OnnxNetwork(models.PNetPath, sessionOptions, "prob", "reg"));
        var rnet = new OnnxNetwork(models.RNetPath, sessionOptions, "prob", "reg");
        var onet = new OnnxNetwork(models.ONetPath, sessionOptions, "prob", "reg", "landmarks");
        bool batchAcrossPhotos = settings.BatchAcrossPhotos ?? provider == "cuda";
        _rnet = new RefineStage(batchAcrossPhotos ? new MicroBatcher(rnet, RNetSize, maxCrops: 2048, settings.BatchWindow) : new DirectRunner(rnet, RNetSize), RNetSize, RNetBatch);
        _onet = new RefineStage(batchAcrossPhotos ? new MicroBatcher(onet, ONetSize, maxCrops: 512, settings.BatchWindow) : new DirectRunner(onet, ONetSize), ONetSize, ONetBatch);
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
    public static Task WarmUpAsync() => OnnxRuntimeWarmUp.StartAsync();

    /// <summary>Loads the three networks once. Fails fast when <see cref="ExecutionProvider.Cuda"/> cannot load.</summary>
    internal static MtcnnDetector Create(ModelSet models, InferenceOptions? settings = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        settings = (settings ?? new InferenceOptions()).Validate();
        return ExecutionProviderSelection.Create(settings, logger ?? NullLogger.Instance, (sessionOptions, provider) => new MtcnnDetector(models, settings, sessionOptions, provider));
    }

    public DetectionResult Detect(Image<Rgb24> image, DetectionOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var total = Stopwatch.StartNew();
        var timer = StageTimer.Start();

        var candidates = _pnet.Run(image, options, _settings, ref timer);
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

    private List<Candidate> RunRNet(Image<Rgb24> image, List<Candidate> candidates, DetectionOptions options)
    {
        var passed = new List<Candidate>();
        _rnet.Run(image, candidates, options.Border, options.RNetThreshold, _settings.EffectiveThreads, (candidate, _, _) => passed.Add(candidate));
        return BoxMath.NextStageBoxes(BoxMath.Suppress(passed, 0.7f, NmsMode.Union), static c => c.Regressed());
    }

    private List<DetectedFace> RunONet(Image<Rgb24> image, List<Candidate> candidates, DetectionOptions options)
    {
        var passed = new List<Candidate>();
        var landmarks = new List<FaceLandmarks>();
        _onet.Run(image, candidates, options.Border, options.ONetThreshold, _settings.EffectiveThreads, (candidate, outputs, row) =>
        {
            passed.Add(candidate);
            landmarks.Add(ONetOutput.Landmarks(candidate.Box, outputs[2].AsSpan(row * 10, 10)));
        });
        return ONetOutput.Faces(passed, landmarks);
    }
}
