using System.Text.Json.Serialization;

namespace FaceFunctions.Storage.Scanning;

/// <summary>
/// One scan as GET /api/scans/{id} reports it: stored as JSON in the scans container, rewritten (conditionally)
/// by each step of the listing; <see cref="Detections"/> is added up from the completion counters when read.
/// </summary>
public sealed record ScanRecord
{
    public required string Id { get; init; }

    /// <summary>What started it: "timer", "http" or "cli".</summary>
    public required string Trigger { get; init; }

    public string? Prefix { get; init; }

    public bool Redetect { get; init; }

    public bool Prune { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the listing ended: every photo needing work had been enqueued by then.</summary>
    public DateTimeOffset? ListedAt { get; init; }

    /// <summary>"listing", then "detecting" until every enqueued photo has completed, then "finished".</summary>
    public string Status => ListedAt is null ? "listing" : Detections is { } d && d.Completed + d.Failed >= Counts.Enqueued ? "finished" : "detecting";

    public ScanCounts Counts { get; init; }

    public DetectionCounts? Detections { get; init; }

    /// <summary>The step that may continue the listing next; a step for any other number is a stale duplicate.</summary>
    public int Step { get; init; }

    /// <summary>Where the next step starts; null before the first and after the last.</summary>
    public ScanCheckpoint? Checkpoint { get; init; }

    [JsonIgnore]
    public ScanRequest Request => new(Prefix, Redetect, Prune);
}

/// <summary>Photos the queue consumers have finished for a scan: results stored (or found current), or an error document.</summary>
public readonly record struct DetectionCounts(long Completed, long Failed)
{
    public static DetectionCounts operator +(DetectionCounts a, DetectionCounts b) => new(a.Completed + b.Completed, a.Failed + b.Failed);
}

/// <summary>Continue the listing of scan <paramref name="ScanId"/> with step <paramref name="Step"/>.</summary>
public sealed record ScanStepMessage(string ScanId, int Step);

/// <summary>Detect photo <paramref name="Name"/> (in the photos container) for scan <paramref name="ScanId"/>.</summary>
public sealed record PhotoMessage(string ScanId, string Name);

/// <summary>What POST /api/scans answers: the new scan's id and where to follow it.</summary>
public sealed record ScanStarted(string Id, Uri StatusUrl);

/// <summary>Source-generated JSON for everything a scan stores or sends: camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScanRecord))]
[JsonSerializable(typeof(ScanStepMessage))]
[JsonSerializable(typeof(PhotoMessage))]
[JsonSerializable(typeof(ScanRequest))]
[JsonSerializable(typeof(ScanStarted))]
public sealed partial class ScanJsonContext : JsonSerializerContext;
