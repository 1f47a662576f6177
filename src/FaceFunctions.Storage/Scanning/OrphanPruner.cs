using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
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
/// </summary>
public sealed partial class OrphanPruner(BlobContainerClient photos, ResultContainers results, ILogger<OrphanPruner> logger)
{
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
