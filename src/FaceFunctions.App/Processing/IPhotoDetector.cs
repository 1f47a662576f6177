using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.App.Processing;

/// <summary>
/// Runs detection on one photo's bytes. Bad photos yield an output whose document carries the error; it throws
/// only for cancellation or an <see cref="IOException"/> from the photo stream. One instance serves
/// concurrent calls.
/// </summary>
public interface IPhotoDetector
{
    PhotoResult Detect(Stream photo, string photoName, CancellationToken cancellationToken);
}
