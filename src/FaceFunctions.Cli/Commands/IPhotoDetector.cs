using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// Turns a photo on disk into its detection document (an error document when the photo cannot be read).
/// Commands that only consume detections, such as <c>eval</c>, take one of these so they do not depend on how
/// detection is done.
/// </summary>
public interface IPhotoDetector : IDisposable
{
    DetectionDocument Detect(string imagePath);
}

/// <summary>What the command line asked of the detector.</summary>
/// <param name="MinFaceSize">Smallest face to find, in pixels.</param>
/// <param name="Threads">Cap on every thread the detector uses; null leaves it to the detector.</param>
/// <param name="Border">What R-Net and O-Net see past the photo's edge.</param>
public readonly record struct PhotoDetectorSettings(int MinFaceSize, int? Threads, CropBorder Border = CropBorder.Zero);
