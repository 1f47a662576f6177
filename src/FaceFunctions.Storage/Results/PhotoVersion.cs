using Azure;

namespace FaceFunctions.Storage.Results;

/// <summary>The photo version a result describes: what storage reported before the bytes were read.</summary>
public readonly record struct PhotoVersion(string Container, string Name, ETag ETag, long Size, string? ContentMd5);
