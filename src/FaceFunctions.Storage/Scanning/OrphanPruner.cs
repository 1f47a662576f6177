using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Storage.Results;
using Microsoft.Extensions.Logging;

namespace FaceFunctions.Storage.Scanning;

/// <summary>
/// Deletes the results of a photo that no longer exists: its document, the crops of the version it describes,
/// and its annotated and anonymized copies. Never those of a photo that exists, or that comes back meanwhile:
/// <list type="bullet">
/// <item>the photo's absence is checked at delete time, not taken from the listing;</item>
/// <item>the document is deleted only if it is still the one listed (If-Match): a photo that reappeared and was
/// processed since has a new document, which stays;</item>
/// <item>crops are deleted only for the version the orphan document describes: a reappearing photo is a new
/// version with its own crop names, so its crops, even half-written, are never touched;</item>
/// <item>a preview copy (one name per photo) is deleted only while it still records the orphan's photo ETag,
/// and conditionally on the copy read (If-Match).</item>
/// </list>
/// Results with hashed names (<see cref="OutputNames.IsHashed"/>) are not in photo order, so the merge of the two
/// listings cannot tell their orphans; <see cref="PruneHashedAsync"/> lists them on their own.
/// </summary>
public sealed partial class OrphanPruner(BlobContainerClient photos, ResultContainers results, ILogger<OrphanPruner> logger)
{
    /// <summary>Orphans checked and deleted at once.</summary>
    public const int ParallelPrunes = 8;

    /// <summary>True when the orphan's document was deleted (its other results too).</summary>
    public async Task<bool> PruneAsync(string photoName, CommittedResult orphan, CancellationToken cancellationToken)
    {
        if (orphan.DocumentETag is not { } documentETag || await ExistsAsync(photos.GetBlobClient(photoName), cancellationToken))
        {
            return false;
        }

        var names = OutputNames.For(photoName);
        try
        {
            await results.Detections.DeleteBlobAsync(names.Document, conditions: new BlobRequestConditions { IfMatch = documentETag }, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Rewritten (the photo came back and was processed) or removed by another scan: not ours to delete.
            return false;
        }

        var removed = 1;
        if (orphan.PhotoETag is { } photoETag)
        {
            var version = OutputNames.VersionOf(new ETag(photoETag));
            await foreach (var item in results.Faces.GetBlobsByHierarchyAsync(
                new GetBlobsByHierarchyOptions { Prefix = names.CropFolder, Delimiter = "/" }, cancellationToken))
            {
                if (item.IsBlob && names.ParseCrop(item.Blob.Name)?.Version == version)
                {
                    await results.Faces.DeleteBlobIfExistsAsync(item.Blob.Name, cancellationToken: cancellationToken);
                    removed++;
                }
            }

            removed += await DeleteCopyAsync(results.Annotated.GetBlobClient(names.Annotated), photoETag, cancellationToken);
            if (results.Anonymized.Name != results.Annotated.Name)
            {
                removed += await DeleteCopyAsync(results.Anonymized.GetBlobClient(names.Anonymized), photoETag, cancellationToken);
            }
        }

        LogPruned(logger, photoName, removed);
        return true;
    }

    /// <summary>
    /// Lists the documents with hashed names (<c>~hashed/</c>) from <paramref name="from"/> for at most
    /// <paramref name="maxPages"/> pages, and prunes those whose photo (under <paramref name="prefix"/>) no longer
    /// exists. Whose a document is comes with the listing (<see cref="CommittedResult.PhotoNameKey"/>); only
    /// documents written before that metadata existed are downloaded to read their <c>source.name</c>. Either
    /// name must hash to the document's own name, or the document is left alone. Every candidate costs the
    /// existence check at delete time (<see cref="PruneAsync"/>), one request: a document's hash cannot say whether
    /// its photo was listed. Returns how many were pruned and the token to go on from (null: listing done).
    /// </summary>
    public async Task<(long Pruned, string? Next)> PruneHashedAsync(string? prefix, string? from, int maxPages, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);
        long pruned = 0;
        var pages = 0;
        try
        {
            await foreach (var page in results.Detections.GetBlobsAsync(new GetBlobsOptions { Prefix = OutputNames.HashedPrefix, Traits = BlobTraits.Metadata }, cancellationToken)
                               .AsPages(from, pageSize)
                               .WithCancellation(cancellationToken))
            {
                await Parallel.ForEachAsync(
                    page.Values,
                    new ParallelOptions { MaxDegreeOfParallelism = ParallelPrunes, CancellationToken = cancellationToken },
                    async (document, ct) =>
                    {
                        if (await PhotoOfAsync(document, ct) is { } photo
                            && (prefix is null || photo.StartsWith(prefix, StringComparison.Ordinal))
                            && await PruneAsync(photo, CommittedResult.From(document.Properties.ETag!.Value, document.Metadata), ct))
                        {
                            Interlocked.Increment(ref pruned);
                        }
                    });
                if (string.IsNullOrEmpty(page.ContinuationToken))
                {
                    break;
                }

                if (++pages >= maxPages)
                {
                    return (pruned, page.ContinuationToken);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No detections container yet: nothing to prune.
        }

        return (pruned, null);
    }

    /// <summary>The photo a hashed document belongs to, or null when that cannot be established.</summary>
    private async Task<string?> PhotoOfAsync(BlobItem document, CancellationToken cancellationToken)
    {
        var photo = CommittedResult.PhotoNameFrom(document.Metadata) ?? await ReadSourceNameAsync(document, cancellationToken);
        return photo is { Length: > 0 } && OutputNames.For(photo).Document == document.Name ? photo : null;
    }

    /// <summary>A document written before documents recorded their photo's name: its <c>source.name</c> says it.</summary>
    private async Task<string?> ReadSourceNameAsync(BlobItem document, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await results.Detections.GetBlobClient(document.Name).DownloadContentAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = document.Properties.ETag } },
                cancellationToken)).Value.Content;
            return content.ToObjectFromJson(DetectionDocumentJsonContext.Default.DetectionDocument)?.Source.Name;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Rewritten or removed since the listing: its photo is back, or someone else pruned it.
            return null;
        }
        catch (JsonException)
        {
            // Not a detection document: not ours to delete.
            return null;
        }
    }

    private static async Task<int> DeleteCopyAsync(BlobClient copy, string photoETag, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await copy.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (!properties.Metadata.TryGetValue(CommittedResult.PhotoETagKey, out var describes) || describes != photoETag)
            {
                return 0;
            }

            await copy.DeleteAsync(conditions: new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken: cancellationToken);
            return 1;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return 0;
        }
    }

    private static async Task<bool> ExistsAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned the results of {PhotoName}, which no longer exists ({Count} blobs)")]
    private static partial void LogPruned(ILogger logger, string photoName, int count);
}
