using System.Globalization;
using System.Text;
using Azure;

namespace FaceFunctions.Storage.Results;

/// <summary>
/// What the detections container says about a photo: the document blob's own ETag (for the conditional commit),
/// the photo ETag it describes, how many crops it references and the detector configuration that made it
/// (<see cref="DetectorIdentity"/>), and the id of the commit that wrote it. <see cref="DocumentETag"/> is null when
/// no document exists. All of it is blob metadata, so a listing with metadata reads it for a whole page of photos at once.
/// </summary>
public readonly record struct CommittedResult(ETag? DocumentETag, string? PhotoETag, int CropCount, string? Detector = null, string? Commit = null)
{
    public const string PhotoETagKey = "photoetag";
    public const string CropCountKey = "crops";
    public const string DetectorKey = "detector";

    /// <summary>
    /// The photo's name, on documents with hashed names only (a kept name is the document's own name): base64 of
    /// its UTF-8 bytes, since metadata values must be ASCII. It lets a listing say whose a hashed document is
    /// without downloading it (pruning of orphans with hashed names).
    /// </summary>
    public const string PhotoNameKey = "photoname";

    /// <summary>
    /// A random id per commit attempt: when the answer to the document write is lost (a dropped connection, a
    /// timeout) and the client's retry meets its own write as a 409 or 412, this is how the writer recognises it.
    /// </summary>
    public const string CommitKey = "commit";

    public static CommittedResult None => default;

    public bool Exists => DocumentETag is not null;

    /// <summary>
    /// Whether the document describes this photo version. Headers quote ETags and listings do not, so the
    /// quotes are not part of the comparison.
    /// </summary>
    public bool Describes(ETag photoETag) => Exists && PhotoETag?.Trim('"') == photoETag.ToString().Trim('"');

    /// <summary>Describes this photo version and was made by the running detector configuration (or needs none).</summary>
    public bool IsCurrent(ETag photoETag, string detector) => Describes(photoETag) && DetectorIdentity.IsCurrent(Detector, detector);

    /// <summary>Whether the document is an error document: those record no detector (<see cref="DetectorIdentity.AnyDetector"/>).</summary>
    public bool IsErrorDocument => Exists && Detector == DetectorIdentity.AnyDetector;

    public static CommittedResult From(ETag documentETag, IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new(
            documentETag,
            metadata.TryGetValue(PhotoETagKey, out var photo) ? photo : null,
            metadata.TryGetValue(CropCountKey, out var crops) && int.TryParse(crops, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0,
            metadata.TryGetValue(DetectorKey, out var detector) ? detector : null,
            metadata.TryGetValue(CommitKey, out var commit) ? commit : null);
    }

    public static Dictionary<string, string> Metadata(OutputNames names, ETag photoETag, int cropCount, string detector, string commit)
    {
        ArgumentNullException.ThrowIfNull(names);
        var metadata = new Dictionary<string, string>
        {
            [PhotoETagKey] = photoETag.ToString(),
            [CropCountKey] = cropCount.ToString(CultureInfo.InvariantCulture),
            [DetectorKey] = detector,
            [CommitKey] = commit,
        };
        if (names.IsHashed)
        {
            metadata[PhotoNameKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(names.PhotoName));
        }

        return metadata;
    }

    /// <summary>The photo name a hashed document's metadata records (<see cref="PhotoNameKey"/>), or null: a document written before it was recorded, or a value that is not base64.</summary>
    public static string? PhotoNameFrom(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(PhotoNameKey, out var encoded))
        {
            return null;
        }

        var bytes = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }
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
