using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Storage.Results;
using Microsoft.Extensions.Logging;

namespace FaceFunctions.Storage.Processing;

/// <summary>What one invocation did.</summary>
public enum PhotoOutcome
{
    /// <summary>Results (or an error document) were written for the photo's current version.</summary>
    Processed,

    /// <summary>The current version already had its complete results: nothing was written.</summary>
    AlreadyDone,

    /// <summary>The photo changed while it was read or detected: the newer version's event owns the results.</summary>
    Superseded,

    /// <summary>The photo no longer exists.</summary>
    Deleted,
}

/// <summary>
/// What one invocation did, and the document it stored when it stored one (<see cref="PhotoOutcome.Processed"/>).
/// <paramref name="FoundErrorDocument"/>: the result this invocation found already stored (<see cref="PhotoOutcome.AlreadyDone"/>) is an error document.
/// </summary>
public readonly record struct PhotoReport(PhotoOutcome Outcome, DetectionDocument? Document = null, bool FoundErrorDocument = false)
{
    /// <summary>Whether the photo's result is an error document, whichever invocation stored it (a retry finds the first one's).</summary>
    public bool IsErrorDocument => Document?.Error is not null || FoundErrorDocument;
}

/// <summary>
/// Turns one photo (from a blob event, a scan's queue message or the CLI's storage mode) into stored results.
/// Permanent problems with the photo end in an error document and a normal return; storage failures (5xx, 429,
/// timeouts, dropped connections) propagate so the caller retries: the runtime, up to host.json's
/// poisonBlobThreshold or the queue's maxDequeueCount, after which the event or message lands in a poison queue.
/// A result is current when it describes the photo's ETag and was made by the running detector configuration.
/// </summary>
public sealed partial class PhotoProcessor : IDisposable
{
    private readonly IPhotoPipeline _pipeline;
    private readonly ResultStore _store;
    private readonly ILogger<PhotoProcessor> _logger;
    private readonly string _detector;

    /// <summary>
    /// Caps detections per instance: the blob extension and the host may hand us many events at once, and each
    /// detection holds a decoded photo and its crops in memory until they are stored. The host starts as many
    /// invocations per trigger as this cap, so where one host runs the blob and the queue triggers together (a GPU
    /// replica, Core Tools) up to as many again wait here; a waiting invocation holds no photo bytes yet.
    /// </summary>
    private readonly SemaphoreSlim _gate;

    public PhotoProcessor(IPhotoPipeline pipeline, ResultStore store, int maxConcurrentDetections, ILogger<PhotoProcessor> logger)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentDetections, 1);
        _pipeline = pipeline;
        _store = store;
        _logger = logger;
        _detector = DetectorIdentity.Of(pipeline.Detector);
        _gate = new SemaphoreSlim(maxConcurrentDetections, maxConcurrentDetections);
    }

    /// <summary>The <see cref="DetectorIdentity"/> of the pipeline this processor runs.</summary>
    public string Detector => _detector;

    public async Task<PhotoReport> ProcessAsync(BlobClient photo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(photo);
        try
        {
            return await ProcessPhotoAsync(photo, cancellationToken);
        }
        catch (Exception e) when (StorageFailure.Is(e, cancellationToken))
        {
            // The caller retries (the Functions runtime, the queue, the CLI): one line per failed attempt, naming
            // the photo and what failed after the storage client's own retries.
            LogStorageFailed(_logger, photo.Name, StorageFailure.Describe(e));
            throw;
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<PhotoReport> ProcessPhotoAsync(BlobClient photo, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["PhotoName"] = photo.Name, ["PhotoContainer"] = photo.BlobContainerName });
        var names = OutputNames.For(photo.Name);

        PhotoVersion version;
        try
        {
            var properties = (await photo.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            version = new PhotoVersion(
                photo.BlobContainerName,
                photo.Name,
                properties.ETag,
                properties.ContentLength,
                properties.ContentHash is { Length: > 0 } md5 ? Convert.ToBase64String(md5) : null);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            LogDeleted(_logger, photo.Name);
            return new PhotoReport(PhotoOutcome.Deleted);
        }

        Func<CancellationToken, Task<ETag?>> currentETag = ct => CurrentETagAsync(photo, ct);
        var committed = await _store.ReadCommittedAsync(names, cancellationToken);
        if (committed.IsCurrent(version.ETag, _detector))
        {
            // A duplicate event: the results exist. Only leftovers of an interrupted clean-up are removed.
            await _store.RemoveStaleCropsAsync(version, names, committed.CropCount, currentETag, cancellationToken);
            LogAlreadyDone(_logger, photo.Name, version.ETag.ToString());
            return new PhotoReport(PhotoOutcome.AlreadyDone, FoundErrorDocument: committed.IsErrorDocument);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Duplicate events that queued behind the cap: the first one may have finished meanwhile.
            committed = await _store.ReadCommittedAsync(names, cancellationToken);
            if (committed.IsCurrent(version.ETag, _detector))
            {
                LogAlreadyDone(_logger, photo.Name, version.ETag.ToString());
                return new PhotoReport(PhotoOutcome.AlreadyDone, FoundErrorDocument: committed.IsErrorDocument);
            }

            var detect = Stopwatch.StartNew();
            var output = await DetectAsync(photo, version, cancellationToken);
            if (output is null)
            {
                return new PhotoReport(PhotoOutcome.Superseded);
            }

            var detectMs = detect.Elapsed.TotalMilliseconds;
            var store = Stopwatch.StartNew();
            var outcome = await _store.CommitAsync(version, names, output, committed, currentETag, cancellationToken);
            var document = output.Document;
            LogStored(
                _logger,
                photo.Name,
                document.Faces?.Count ?? 0,
                document.Error?.Code,
                outcome,
                detectMs,
                store.Elapsed.TotalMilliseconds,
                total.Elapsed.TotalMilliseconds,
                document.TimingsMs?.Decode,
                document.TimingsMs?.PNet,
                document.TimingsMs?.RNet,
                document.TimingsMs?.ONet);
            return outcome switch
            {
                CommitOutcome.Committed => new PhotoReport(PhotoOutcome.Processed, document),
                CommitOutcome.AlreadyCommitted => new PhotoReport(PhotoOutcome.AlreadyDone, FoundErrorDocument: document.Error is not null),
                _ => new PhotoReport(PhotoOutcome.Superseded),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Streams the photo into the detector, every range request conditional on the ETag read before (If-Match),
    /// so the document describes exactly the bytes detected. Null when the photo changed or vanished mid-read.
    /// </summary>
    private async Task<PhotoResult?> DetectAsync(BlobClient photo, PhotoVersion version, CancellationToken cancellationToken)
    {
        var options = new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = version.ETag } };
        Stream blobStream;
        try
        {
            blobStream = await photo.OpenReadAsync(options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            LogChangedWhileReading(_logger, photo.Name, version.ETag.ToString());
            return null;
        }

        using var stream = new StorageReadStream(blobStream);
        PhotoResult? output = null;
        try
        {
            output = await _pipeline.ProcessAsync(stream, photo.Name, cancellationToken);
        }
        catch (IOException) when (stream.Failure is not null)
        {
            // Classified below.
        }

        if (stream.Failure is null)
        {
            return output;
        }

        if (stream.Failure is RequestFailedException { Status: 404 or 412 })
        {
            LogChangedWhileReading(_logger, photo.Name, version.ETag.ToString());
            return null;
        }

        // A transient storage failure: never store a result for bytes we could not read; let the runtime retry.
        ExceptionDispatchInfo.Throw(stream.Failure);
        return null;
    }

    private static async Task<ETag?> CurrentETagAsync(BlobClient photo, CancellationToken cancellationToken)
    {
        try
        {
            return (await photo.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage failed for photo {PhotoName} ({Failure}); the invocation fails so that it is retried")]
    private static partial void LogStorageFailed(ILogger logger, string photoName, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Photo {PhotoName} no longer exists; nothing to do")]
    private static partial void LogDeleted(ILogger logger, string photoName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Photo {PhotoName} version {PhotoETag} already has its results; nothing written")]
    private static partial void LogAlreadyDone(ILogger logger, string photoName, string photoETag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Photo {PhotoName} changed or vanished while version {PhotoETag} was read; the newer version's event owns it")]
    private static partial void LogChangedWhileReading(ILogger logger, string photoName, string photoETag);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Photo {PhotoName}: {FaceCount} faces, error {ErrorCode}, {Outcome}; read+detect {DetectMs:F0} ms, store {StoreMs:F0} ms, total {TotalMs:F0} ms (decode {DecodeMs:F0}, P-Net {PNetMs:F0}, R-Net {RNetMs:F0}, O-Net {ONetMs:F0})")]
    private static partial void LogStored(
        ILogger logger,
        string photoName,
        int faceCount,
        string? errorCode,
        CommitOutcome outcome,
        double detectMs,
        double storeMs,
        double totalMs,
        double? decodeMs,
        double? pNetMs,
        double? rNetMs,
        double? oNetMs);
}
