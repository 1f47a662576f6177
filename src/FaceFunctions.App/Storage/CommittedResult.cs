using System.Globalization;
using Azure;

namespace FaceFunctions.App.Storage;

/// <summary>
/// What the detections container says about a photo: the document blob's own ETag (for the conditional commit),
/// the photo ETag it describes, and how many crops it references. <see cref="DocumentETag"/> is null when no
/// document exists.
/// </summary>
public readonly record struct CommittedResult(ETag? DocumentETag, string? PhotoETag, int CropCount)
{
    public const string PhotoETagKey = "photoetag";
    public const string CropCountKey = "crops";

    public static CommittedResult None => default;

    public bool Exists => DocumentETag is not null;

    public bool Describes(ETag photoETag) => Exists && PhotoETag == photoETag.ToString();

    public static CommittedResult From(ETag documentETag, IDictionary<string, string> metadata) => new(
        documentETag,
        metadata.TryGetValue(PhotoETagKey, out var photo) ? photo : null,
        metadata.TryGetValue(CropCountKey, out var crops) && int.TryParse(crops, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0);

    public static Dictionary<string, string> Metadata(ETag photoETag, int cropCount) => new()
    {
        [PhotoETagKey] = photoETag.ToString(),
        [CropCountKey] = cropCount.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>How a commit ended.</summary>
public enum CommitOutcome
{
    /// <summary>This call wrote the document: the photo's current results are the ones given.</summary>
    Committed,

    /// <summary>Another invocation committed the same photo version first; nothing more to do.</summary>
    AlreadyCommitted,

    /// <summary>The photo changed (or vanished) meanwhile: the newer version's own event owns the results.</summary>
    Superseded,
}
