using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection;

/// <summary>
/// Finds faces in an upright RGB image. One instance serves concurrent callers; disposing it releases
/// the inference sessions.
/// </summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>A stable identity of the models the detector runs (a hash over them), for detection documents.</summary>
    string ModelsId { get; }

    DetectionResult Detect(Image<Rgb24> image, DetectionOptions options);
}

/// <summary>The faces found, highest score first, and where the time went.</summary>
public sealed record DetectionResult(IReadOnlyList<DetectedFace> Faces, StageTimings Timings);

/// <summary>Milliseconds spent in each stage of one detection.</summary>
public readonly record struct StageTimings(double Pyramid, double PNet, double RNet, double ONet, double Total);
