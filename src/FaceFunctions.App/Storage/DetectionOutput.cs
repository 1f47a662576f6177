using Azure;
using FaceFunctions.Detection.Documents;

namespace FaceFunctions.App.Storage;

/// <summary>The photo version a result describes: what storage reported before the bytes were read.</summary>
public readonly record struct PhotoVersion(string Container, string Name, ETag ETag, long Size, string? ContentMd5);

/// <summary>The encoded aligned crop of face <see cref="Index"/> (an index into the document's faces).</summary>
public sealed record CropImage(int Index, ReadOnlyMemory<byte> Jpeg);

/// <summary>
/// Everything detection produced for one photo, ready to store. The document's <c>source</c> storage fields and
/// the faces' <c>crop</c> fields are filled in by <see cref="ResultStore"/>.
/// </summary>
public sealed record DetectionOutput(
    DetectionDocument Document,
    IReadOnlyList<CropImage> Crops,
    ReadOnlyMemory<byte>? AnnotatedJpeg,
    ReadOnlyMemory<byte>? AnonymizedJpeg);
