using FaceFunctions.Detection.Documents;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>
/// The one seam every entry point (the functions, the CLI's commands) depends on: photo bytes in, a
/// <see cref="PhotoResult"/> out. A photo that cannot be decoded yields a result whose document carries the
/// error; only cancellation and failures of the stream itself throw (as <see cref="IOException"/> or what the
/// stream threw). One instance serves concurrent calls; tests substitute a fake here and nowhere else.
/// </summary>
public interface IPhotoPipeline : IDisposable
{
    /// <summary>The detector configuration every document of this pipeline records (models and options).</summary>
    DetectorInfo Detector { get; }

    /// <summary>Reads the photo to its end (asynchronously, at most the byte limit), then detects.</summary>
    Task<PhotoResult> ProcessAsync(Stream photo, string sourceName, CancellationToken cancellationToken = default);
}
