using Azure;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;

namespace FaceFunctions.App.Storage;

/// <summary>The photo version a result describes: what storage reported before the bytes were read.</summary>
public readonly record struct PhotoVersion(string Container, string Name, ETag ETag, long Size, string? ContentMd5);

/// <summary>One aligned face crop, encoded, with the face it was cut from.</summary>
public sealed record CropImage(int Index, ReadOnlyMemory<byte> Jpeg, DetectedFace Face);

/// <summary>
/// Everything detection produced for one photo, ready to store. The document's <c>source</c> storage fields and
/// the faces' <c>crop</c> fields are filled in by <see cref="ResultStore"/>. Disposing releases the buffers
/// (they may belong to the detector's pool).
/// </summary>
public sealed class DetectionOutput(
    DetectionDocument document,
    IReadOnlyList<CropImage> crops,
    ReadOnlyMemory<byte>? annotatedJpeg,
    ReadOnlyMemory<byte>? anonymizedJpeg,
    IDisposable? owner = null) : IDisposable
{
    public DetectionDocument Document { get; } = document;

    public IReadOnlyList<CropImage> Crops { get; } = crops;

    public ReadOnlyMemory<byte>? AnnotatedJpeg { get; } = annotatedJpeg;

    public ReadOnlyMemory<byte>? AnonymizedJpeg { get; } = anonymizedJpeg;

    public void Dispose() => owner?.Dispose();
}
