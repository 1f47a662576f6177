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
/// token to resume from, and the last photo name already decided. <see cref="DocumentsDone"/> says the
/// detections listing had ended: no later photo has a result. <see cref="DocumentsReadThrough"/> is the last
/// document name the listing had read: a result listed again is skipped only when it was read before and its
/// photo was decided, so a document that lists late (after the checkpoint) but belongs to an earlier photo name
/// is still seen, and pruned in this scan. <see cref="PhotosDone"/> says the photo listing is complete and the
/// scan is pruning results with hashed names, from <see cref="HashedToken"/>.
/// </summary>
public sealed record ScanCheckpoint(
    string? PhotoToken,
    string? DocumentToken,
    string? LastPhoto,
    bool DocumentsDone = false,
    string? DocumentsReadThrough = null,
    bool PhotosDone = false,
    string? HashedToken = null)
{
    public static ScanCheckpoint Start { get; } = new(null, null, null);

    /// <summary>Every photo is listed; the hashed results' listing goes on from <paramref name="token"/>.</summary>
    public static ScanCheckpoint PruningHashed(string token) => new(null, null, null, DocumentsDone: true, PhotosDone: true, HashedToken: token);
}

/// <summary>What a scan (or one step of it) found and did.</summary>
public readonly record struct ScanCounts(long Pages, long Listed, long UpToDate, long Enqueued, long Pruned)
{
    public static ScanCounts operator +(ScanCounts a, ScanCounts b) =>
        new(a.Pages + b.Pages, a.Listed + b.Listed, a.UpToDate + b.UpToDate, a.Enqueued + b.Enqueued, a.Pruned + b.Pruned);
}

/// <summary>One step's result: its counts, and where the next step starts (null: the scan has listed everything).</summary>
public sealed record ScanStep(ScanCounts Counts, ScanCheckpoint? Next);
