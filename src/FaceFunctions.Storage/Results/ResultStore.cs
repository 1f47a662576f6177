using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Pipeline;
using Microsoft.Extensions.Logging;

namespace FaceFunctions.Storage.Results;

/// <summary>
/// Writes one photo's results with the delivery guarantees the function needs:
/// <list type="number">
/// <item>crops go to names unique to the photo version (<see cref="OutputNames.Crop"/>), so writing them never
/// touches the crops a committed document references;</item>
/// <item>the document is written last, conditionally on the document state read before (If-Match, or
/// If-None-Match: * when there was none), and only while the photo still has the ETag that was detected: it is
/// the commit marker, and a stale invocation can never replace a newer result. A write whose answer was lost
/// (the client's retry then fails its condition on that very write) is recognised by its commit id
/// (<see cref="CommittedResult.Commit"/>) and counts as committed;</item>
/// <item>only after the commit are crops of other versions deleted, and only while the photo still is the
/// committed version (a newer version's crops, being written right now, are never touched).</item>
/// </list>
/// A crash at any point leaves either the previous complete result or the new one, plus at most some
/// unreferenced crops that the next run for the photo removes.
/// </summary>
public sealed partial class ResultStore(ResultContainers containers, ILogger<ResultStore> logger)
{
    private const int ParallelUploads = 4;
    private const int CommitAttempts = 4;

    private readonly Lock _containersLock = new();
    private Task? _containersReady;

    /// <summary>Reads the current document's state without downloading it.</summary>
    public async Task<CommittedResult> ReadCommittedAsync(OutputNames names, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await containers.Detections.GetBlobClient(names.Document).GetPropertiesAsync(cancellationToken: cancellationToken);
            return CommittedResult.From(properties.Value.ETag, properties.Value.Metadata);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return CommittedResult.None;
        }
    }

    /// <summary>
    /// Stores <paramref name="output"/> as the results of <paramref name="photo"/>.
    /// <paramref name="currentPhotoETag"/> reads the photo's ETag now (null when it is gone).
    /// </summary>
    public async Task<CommitOutcome> CommitAsync(
        PhotoVersion photo,
        OutputNames names,
        PhotoResult output,
        CommittedResult previous,
        Func<CancellationToken, Task<ETag?>> currentPhotoETag,
        CancellationToken cancellationToken)
    {
        // Detection takes seconds: if the photo changed meanwhile, write nothing at all.
        if (await currentPhotoETag(cancellationToken) != photo.ETag)
        {
            return CommitOutcome.Superseded;
        }

        await EnsureContainersAsync(cancellationToken);
        var version = OutputNames.VersionOf(photo.ETag);
        await Parallel.ForEachAsync(
            output.Crops,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelUploads, CancellationToken = cancellationToken },
            async (crop, ct) => await UploadCropAsync(photo, names.Crop(version, crop.Index), crop, output.Document.Faces![crop.Index], ct));
        await UploadOrDeleteAsync(containers.Annotated.GetBlobClient(names.Annotated), output.Annotated?.Data, photo, cancellationToken);
        await UploadOrDeleteAsync(containers.Anonymized.GetBlobClient(names.Anonymized), output.Anonymized?.Data, photo, cancellationToken);

        var document = JsonSerializer.SerializeToUtf8Bytes(Complete(output, photo, names, version), DetectionDocumentJsonContext.Default.DetectionDocument);
        var detector = DetectorIdentity.Of(output.Document);
        var commit = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        for (var attempt = 1; ; attempt++)
        {
            if (await currentPhotoETag(cancellationToken) != photo.ETag)
            {
                return CommitOutcome.Superseded;
            }

            try
            {
                await containers.Detections.GetBlobClient(names.Document).UploadAsync(
                    BinaryData.FromBytes(document),
                    new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                        Metadata = CommittedResult.Metadata(names, photo.ETag, output.Crops.Count, detector, commit),
                        Conditions = previous.DocumentETag is { } documentETag
                            ? new BlobRequestConditions { IfMatch = documentETag }
                            : new BlobRequestConditions { IfNoneMatch = ETag.All },
                    },
                    cancellationToken);
                break;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < CommitAttempts)
            {
                // The condition failed: the document changed since we looked. Either our own write landed and its
                // answer was lost (the client retried the write, which then met the document it had just written),
                // or someone else committed. If it was this very version (by this detector), we are done; otherwise
                // look again (the photo check at the top of the loop decides whether we are still the newest).
                previous = await ReadCommittedAsync(names, cancellationToken);
                if (previous.Commit == commit)
                {
                    LogOwnCommitFound(logger, photo.Name, e.Status);
                    break;
                }

                if (previous.IsCurrent(photo.ETag, detector))
                {
                    return CommitOutcome.AlreadyCommitted;
                }

                LogCommitRace(logger, photo.Name, attempt);
            }
        }

        await RemoveStaleCropsAsync(photo, names, output.Crops.Count, currentPhotoETag, cancellationToken);
        return CommitOutcome.Committed;
    }

    /// <summary>
    /// Deletes crops under the photo's folder that the committed document does not reference: other versions,
    /// and indices past its face count. Writes nothing when there is nothing to delete, and deletes nothing
    /// unless the photo is still <paramref name="photo"/> after the listing: any crop of a newer version in the
    /// listing was written after that version was uploaded, so the check sees it and backs off.
    /// </summary>
    public async Task<int> RemoveStaleCropsAsync(
        PhotoVersion photo,
        OutputNames names,
        int cropCount,
        Func<CancellationToken, Task<ETag?>> currentPhotoETag,
        CancellationToken cancellationToken)
    {
        var version = OutputNames.VersionOf(photo.ETag);
        var stale = new List<string>();
        await foreach (var item in containers.Faces.GetBlobsByHierarchyAsync(
            new GetBlobsByHierarchyOptions { Prefix = names.CropFolder, Delimiter = "/" }, cancellationToken))
        {
            if (item.IsBlob && names.ParseCrop(item.Blob.Name) is { } crop && (crop.Version != version || crop.Index >= cropCount))
            {
                stale.Add(item.Blob.Name);
            }
        }

        if (stale.Count == 0 || await currentPhotoETag(cancellationToken) != photo.ETag)
        {
            return 0;
        }

        await Parallel.ForEachAsync(
            stale,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelUploads, CancellationToken = cancellationToken },
            async (name, ct) => await containers.Faces.DeleteBlobIfExistsAsync(name, cancellationToken: ct));
        LogStaleCropsRemoved(logger, photo.Name, stale.Count);
        return stale.Count;
    }

    /// <summary>
    /// Creates missing output containers once per process (the templates create them in Azure; a local run
    /// starts with an empty emulator). A failed attempt is retried by the next commit.
    /// </summary>
    private Task EnsureContainersAsync(CancellationToken cancellationToken)
    {
        lock (_containersLock)
        {
            if (_containersReady is null || _containersReady.IsFaulted || _containersReady.IsCanceled)
            {
                BlobContainerClient[] all = [containers.Detections, containers.Faces, containers.Annotated, containers.Anonymized];
                _containersReady = Task.WhenAll(all.Select(c => c.CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
            }

            return _containersReady;
        }
    }

    /// <summary>The document as stored: the photo's storage identity in <c>source</c>, each face's crop path.</summary>
    private DetectionDocument Complete(PhotoResult output, PhotoVersion photo, OutputNames names, string version)
    {
        var document = output.DocumentWithCrops(crop => $"{containers.Faces.Name}/{names.Crop(version, crop.Index)}");
        return document with
        {
            Source = document.Source with
            {
                Name = photo.Name,
                Container = photo.Container,
                ETag = photo.ETag.ToString(),
                Size = photo.Size,
                ContentMd5 = photo.ContentMd5,
            },
        };
    }

    /// <summary>A crop carries its face's score and box as the document states them, so either can be read alone.</summary>
    private async Task UploadCropAsync(PhotoVersion photo, string blobName, EncodedFaceCrop crop, FaceRecord face, CancellationToken cancellationToken)
    {
        await containers.Faces.GetBlobClient(blobName).UploadAsync(
            BinaryData.FromBytes(crop.Image.Data),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = crop.Image.ContentType },
                Metadata = new Dictionary<string, string>
                {
                    ["index"] = crop.Index.ToString(CultureInfo.InvariantCulture),
                    ["score"] = face.Score.ToString("R", CultureInfo.InvariantCulture),
                    ["box"] = string.Join(',', face.Box.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
                    [CommittedResult.PhotoETagKey] = photo.ETag.ToString(),
                },
            },
            cancellationToken);
    }

    /// <summary>
    /// The annotated and anonymized copies have one name per photo (no version), so they are replaced in place
    /// before the commit, and removed when this result has none (a disabled setting, or an error document):
    /// a privacy copy of an older version must not linger.
    /// </summary>
    private static async Task UploadOrDeleteAsync(BlobClient blob, ReadOnlyMemory<byte>? jpeg, PhotoVersion photo, CancellationToken cancellationToken)
    {
        if (jpeg is { } bytes)
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(bytes),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
                    Metadata = new Dictionary<string, string> { [CommittedResult.PhotoETagKey] = photo.ETag.ToString() },
                },
                cancellationToken);
        }
        else
        {
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Commit of {PhotoName} raced another writer (attempt {Attempt}); re-checking")]
    private static partial void LogCommitRace(ILogger logger, string photoName, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit of {PhotoName}: the answer to the document write was lost and the client's retry met that very write ({Status}); it stands")]
    private static partial void LogOwnCommitFound(ILogger logger, string photoName, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} stale crops of {PhotoName}")]
    private static partial void LogStaleCropsRemoved(ILogger logger, string photoName, int count);
}
