using System.Text.Json.Serialization;

namespace FaceFunctions.Detection.Documents;

/// <summary>
/// The one JSON document every FaceFunctions output writes for a photo: the CLI's <c>name.json</c>, the
/// function app's <c>detections/name.json</c>. Either <see cref="Faces"/> or <see cref="Error"/> is set.
/// The JSON Schema is published in docs/detection-document.schema.json.
/// </summary>
public sealed record DetectionDocument
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required SourceInfo Source { get; init; }

    public DetectorInfo? Detector { get; init; }

    public IReadOnlyList<FaceRecord>? Faces { get; init; }

    public DocumentError? Error { get; init; }

    public TimingsMs? TimingsMs { get; init; }
}

/// <summary>What was read. Storage fields are set by the function app only.</summary>
public sealed record SourceInfo
{
    public required string Name { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }

    /// <summary>The EXIF orientation (1 to 8) that was applied before detection.</summary>
    public int? Orientation { get; init; }

    public string? Format { get; init; }

    public string? Container { get; init; }

    public string? ETag { get; init; }

    public long? Size { get; init; }

    /// <summary>The blob's Content-MD5, base64, when storage has one.</summary>
    public string? ContentMd5 { get; init; }
}

public sealed record DetectorInfo
{
    public string Name { get; init; } = "mtcnn";

    /// <summary>SHA-256 over the three model files: changes whenever the weights do.</summary>
    public required string Models { get; init; }

    public required int MinFaceSize { get; init; }

    public required float ScaleFactor { get; init; }

    public required IReadOnlyList<float> Thresholds { get; init; }

    /// <summary>Where the networks ran: "cpu" or "cuda" (what a GPU build's "auto" settled on).</summary>
    public string? Provider { get; init; }
}

public sealed record FaceRecord
{
    /// <summary>[x1, y1, x2, y2] in pixels of the upright image.</summary>
    public required IReadOnlyList<float> Box { get; init; }

    public required float Score { get; init; }

    public required LandmarksRecord Landmarks { get; init; }

    /// <summary>Where the aligned crop was written, when one was.</summary>
    public string? Crop { get; init; }
}

public sealed record LandmarksRecord(
    IReadOnlyList<float> LeftEye,
    IReadOnlyList<float> RightEye,
    IReadOnlyList<float> Nose,
    IReadOnlyList<float> MouthLeft,
    IReadOnlyList<float> MouthRight);

public sealed record DocumentError(string Code, string Message);

public sealed record TimingsMs(
    double Decode,
    double Pyramid,
    [property: JsonPropertyName("pnet")] double PNet,
    [property: JsonPropertyName("rnet")] double RNet,
    [property: JsonPropertyName("onet")] double ONet,
    double Total);

/// <summary>Source-generated serialisation: camelCase, nulls omitted, no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(DetectionDocument))]
public sealed partial class DetectionDocumentJsonContext : JsonSerializerContext;
