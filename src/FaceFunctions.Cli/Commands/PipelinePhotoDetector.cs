using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.Cli.Commands;

/// <summary>The photo pipeline behind <see cref="IPhotoDetector"/>: documents only, no crops or previews.</summary>
internal sealed class PipelinePhotoDetector(PipelineSettings settings) : IPhotoDetector
{
    private readonly PhotoPipeline _pipeline = PhotoPipeline.Create(settings with { WriteCrops = false });

    public static IPhotoDetector Create(PhotoDetectorSettings settings) => new PipelinePhotoDetector(new PipelineSettings
    {
        Detector = new DetectorSettings { Threads = settings.Threads ?? 0 },
        Detection = new DetectionOptions { MinFaceSize = settings.MinFaceSize, Border = settings.Border },
    });

    public DetectionDocument Detect(string imagePath)
    {
        using var stream = new FileStream(imagePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return _pipeline.Process(stream, imagePath).Document;
    }

    public void Dispose() => _pipeline.Dispose();
}
