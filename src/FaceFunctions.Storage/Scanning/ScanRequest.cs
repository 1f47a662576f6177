namespace FaceFunctions.Storage.Scanning;

/// <summary>
/// What a scan looks at and does: the photos under <see cref="Prefix"/> (all when null); with
/// <see cref="Redetect"/>, results made by another detector configuration count as outdated; with
/// <see cref="Prune"/>, results whose photo no longer exists are deleted.
/// </summary>
public sealed record ScanRequest(string? Prefix = null, bool Redetect = false, bool Prune = false);

/// <summary>Why a photo needs work, or that it does not.</summary>
public enum ScanDecision
{
    UpToDate,

    /// <summary>No document: a pre-existing photo, or one whose event was lost.</summary>
    Missing,

    /// <summary>The document describes another version (ETag) of the photo.</summary>
    Outdated,

    /// <summary>The document was made by another detector configuration (only with <see cref="ScanRequest.Redetect"/>).</summary>
    OtherDetector,
}

/// <summary>
/// Where a scan stands between invocations: the photo listing's continuation token, the detections listing's
/// token to resume from, and the last photo name already decided (results listed again up to it are ignored).
/// <see cref="DocumentsDone"/> says the detections listing had ended: no later photo has a result.
/// </summary>
public sealed record ScanCheckpoint(string? PhotoToken, string? DocumentToken, string? LastPhoto, bool DocumentsDone = false)
{
    public static ScanCheckpoint Start { get; } = new(null, null, null);
}

/// <summary>What a scan (or one step of it) found and did.</summary>
public readonly record struct ScanCounts(long Pages, long Listed, long UpToDate, long Enqueued, long Pruned)
{
    public static ScanCounts operator +(ScanCounts a, ScanCounts b) =>
        new(a.Pages + b.Pages, a.Listed + b.Listed, a.UpToDate + b.UpToDate, a.Enqueued + b.Enqueued, a.Pruned + b.Pruned);
}

/// <summary>One step's result: its counts, and where the next step starts (null: the scan has listed everything).</summary>
public sealed record ScanStep(ScanCounts Counts, ScanCheckpoint? Next);
