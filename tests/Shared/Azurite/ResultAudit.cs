using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Storage.Results;

namespace FaceFunctions.Tests.Shared.Azurite;

/// <summary>What a photo's stored results are, as <see cref="ResultAudit"/> finds them.</summary>
public enum ResultState
{
    /// <summary>A document for the photo's current ETag, every crop it references and no other, the copies it implies.</summary>
    Complete,

    /// <summary>No document.</summary>
    None,

    /// <summary>A complete result of an earlier version of the photo (what a failed run for a re-upload leaves).</summary>
    EarlierVersion,

    /// <summary>
    /// The document, if any, is whole, but beside it lie what an unfinished attempt wrote before its commit: crops it
    /// does not reference, or annotated/anonymized copies of another version (they are replaced before the commit).
    /// </summary>
    Leftovers,

    /// <summary>Half-written: a document whose crops are missing or record another version, or whose metadata disagrees with its body.</summary>
    Broken,
}

/// <summary>
/// Reads back, with a fault-free client, everything in a photos container and its result containers, and says for
/// each photo (<see cref="ResultState"/>) whether its result is complete: exactly one document, describing the photo's current ETag (in its
/// body and its metadata); exactly the crops that document references (no more, no fewer), each recording that
/// ETag; and, when copies are written, an annotated and an anonymized copy of that version exactly when the result
/// is not an error document. Also lists results whose photo does not exist.
/// </summary>
public sealed class ResultAudit
{
    private readonly Dictionary<string, (ResultState State, string Why)> _photos = new(StringComparer.Ordinal);

    private ResultAudit()
    {
    }

    /// <summary>Results (documents, crop folders, copies) that belong to no photo in the container.</summary>
    public List<string> Orphans { get; } = [];

    public int Documents { get; private set; }

    public int ErrorDocuments { get; private set; }

    public int Crops { get; private set; }

    public IReadOnlyCollection<string> Photos => _photos.Keys;

    public ResultState StateOf(string photo) => _photos[photo].State;

    public string WhyNotComplete(string photo) => _photos[photo].Why;

    /// <summary>Every photo whose result is not complete, with the reason, one per line.</summary>
    public string Describe(IEnumerable<string> photos) => string.Join('\n', photos.Select(p => $"{p}: {_photos[p].State} ({_photos[p].Why})"));

    public static async Task<ResultAudit> ReadAsync(BlobContainerClient photos, ResultContainers results, bool copies)
    {
        ArgumentNullException.ThrowIfNull(photos);
        ArgumentNullException.ThrowIfNull(results);
        var photoETags = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var photo in photos.GetBlobsAsync())
        {
            photoETags[photo.Name] = Unquoted(photo.Properties.ETag?.ToString() ?? string.Empty);
        }

        var documents = await ListAsync(results.Detections);
        var crops = await ListAsync(results.Faces);
        var annotated = copies ? await ListAsync(results.Annotated) : [];
        var anonymized = copies ? await ListAsync(results.Anonymized) : [];
        var audit = new ResultAudit { Documents = documents.Count, Crops = crops.Count };

        var cropFolders = crops.Keys.GroupBy(name => name[..(name.LastIndexOf('/') + 1)], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (photo, etag) in photoETags)
        {
            var names = OutputNames.For(photo);
            claimed.Add(names.Document);
            claimed.Add(names.CropFolder);
            claimed.Add(names.Annotated);
            var folder = cropFolders.GetValueOrDefault(names.CropFolder) ?? [];
            if (!documents.ContainsKey(names.Document))
            {
                audit._photos[photo] = folder.Count == 0 ? (ResultState.None, "no document") : (ResultState.Leftovers, $"no document, but {folder.Count} crops");
                continue;
            }

            var content = (await results.Detections.GetBlobClient(names.Document).DownloadContentAsync()).Value.Content;
            var document = content.ToObjectFromJson(DetectionDocumentJsonContext.Default.DetectionDocument)!;
            audit.ErrorDocuments += document.Error is null ? 0 : 1;
            var described = Unquoted(document.Source.ETag ?? string.Empty);
            var broken = Check(document, documents[names.Document], folder, crops, results.Faces.Name);
            var leftovers = folder.Where(c => !(document.Faces ?? []).Any(f => f.Crop == $"{results.Faces.Name}/{c}")).Select(c => $"crop {c} is not referenced").ToList();
            if (copies)
            {
                leftovers.AddRange(CheckCopy("annotated", annotated, names.Annotated, document, described));
                leftovers.AddRange(CheckCopy("anonymized", anonymized, names.Anonymized, document, described));
            }

            string[] earlier = described == etag ? [] : [$"the document describes {described}, the photo is {etag}"];
            audit._photos[photo] = broken.Count > 0 ? (ResultState.Broken, string.Join("; ", broken.Concat(leftovers).Concat(earlier)))
                : leftovers.Count > 0 ? (ResultState.Leftovers, string.Join("; ", leftovers.Concat(earlier)))
                : earlier.Length > 0 ? (ResultState.EarlierVersion, earlier[0])
                : (ResultState.Complete, string.Empty);
        }

        audit.Orphans.AddRange(documents.Keys.Where(d => !claimed.Contains(d)).Select(d => $"{results.Detections.Name}/{d}"));
        audit.Orphans.AddRange(cropFolders.Keys.Where(f => !claimed.Contains(f)).Select(f => $"{results.Faces.Name}/{f}"));
        audit.Orphans.AddRange(annotated.Keys.Concat(anonymized.Keys).Where(c => !claimed.Contains(c)).Select(c => $"copy {c}"));
        return audit;
    }

    private static List<string> Check(
        DetectionDocument document,
        IDictionary<string, string> metadata,
        HashSet<string> folder,
        Dictionary<string, IDictionary<string, string>> crops,
        string facesContainer)
    {
        var problems = new List<string>();
        var described = Unquoted(document.Source.ETag ?? string.Empty);
        if (!metadata.TryGetValue(CommittedResult.PhotoETagKey, out var recorded) || Unquoted(recorded) != described)
        {
            problems.Add("the document's metadata names another photo version than its body");
        }

        var referenced = (document.Faces ?? []).Select(f => f.Crop?[(facesContainer.Length + 1)..] ?? "(no crop)").ToHashSet(StringComparer.Ordinal);
        if (!metadata.TryGetValue(CommittedResult.CropCountKey, out var count) || count != referenced.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            problems.Add("the document's crop count differs from its faces");
        }

        foreach (var missing in referenced.Where(c => !folder.Contains(c)))
        {
            problems.Add($"crop {missing} is missing");
        }

        foreach (var crop in referenced.Where(folder.Contains))
        {
            if (!crops[crop].TryGetValue(CommittedResult.PhotoETagKey, out var cropETag) || Unquoted(cropETag) != described)
            {
                problems.Add($"crop {crop} records another photo version");
            }
        }

        return problems;
    }

    private static IEnumerable<string> CheckCopy(string kind, Dictionary<string, IDictionary<string, string>> copies, string name, DetectionDocument document, string described)
    {
        var exists = copies.TryGetValue(name, out var metadata);
        if (exists != (document.Error is null))
        {
            yield return document.Error is null ? $"no {kind} copy" : $"an {kind} copy beside an error document";
        }
        else if (metadata is not null && (!metadata.TryGetValue(CommittedResult.PhotoETagKey, out var copyETag) || Unquoted(copyETag) != described))
        {
            yield return $"the {kind} copy is of another photo version";
        }
    }

    private static async Task<Dictionary<string, IDictionary<string, string>>> ListAsync(BlobContainerClient container)
    {
        var blobs = new Dictionary<string, IDictionary<string, string>>(StringComparer.Ordinal);
        if (!await container.ExistsAsync())
        {
            return blobs;
        }

        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            blobs[blob.Name] = blob.Metadata;
        }

        return blobs;
    }

    /// <summary>Headers quote ETags and listings do not.</summary>
    private static string Unquoted(string etag) => etag.Trim('"');
}
