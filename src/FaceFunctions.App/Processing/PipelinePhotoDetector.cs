using FaceFunctions.App.Configuration;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.App.Processing;

/// <summary>The detection pipeline behind <see cref="IPhotoDetector"/>: one per worker process, shared by all invocations.</summary>
public sealed class PipelinePhotoDetector(PhotoPipeline pipeline) : IPhotoDetector
{
    public PhotoResult Detect(Stream photo, string photoName, CancellationToken cancellationToken) =>
        pipeline.Process(photo, photoName, cancellationToken);

    /// <summary>The pipeline settings the app's (validated) settings describe.</summary>
    public static PipelineSettings Settings(FaceFunctionsOptions app, DetectionSettings detection, ImageLimitsSettings limits)
    {
        var concurrent = app.MaxConcurrentDetections ?? 1;
        return new PipelineSettings
        {
            Detector = new DetectorSettings
            {
                ExecutionProvider = Enum.Parse<ExecutionProvider>(detection.ExecutionProvider ?? "auto", ignoreCase: true),
                // Concurrent detections share the cores instead of each claiming all of them.
                Threads = Math.Max(1, Environment.ProcessorCount / concurrent),
            },
            Detection = DetectionOptions.Default with { MinFaceSize = detection.MinFaceSize ?? DetectionOptions.Default.MinFaceSize },
            Limits = ImageLimits.Default with
            {
                MaxBytes = limits.MaxBytes ?? ImageLimits.DefaultMaxBytes,
                MaxPixels = limits.MaxPixels ?? ImageLimits.DefaultMaxPixels,
            },
            WriteCrops = true,
            CropSize = app.CropSize ?? 112,
            CropFormat = CropFormat.Jpeg,
            Annotate = app.WriteAnnotated ?? false,
            Anonymize = app.WriteAnonymized ?? false,
        };
    }
}
