using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using FaceFunctions.Storage.Processing;
using Microsoft.Extensions.Logging;

namespace FaceFunctions.Storage.Scanning;

/// <summary>
/// Runs scans over queues, so that Azure Functions' scale-out is the engine: a scan is a record (a blob), a
/// step message on <see cref="StepsQueue"/> that carries it forward a bounded number of pages at a time (any
/// instance picks it up; a crash redelivers it and the step restarts from the record's checkpoint), and one
/// message per photo to detect on <see cref="PhotosQueue"/>, which queue-triggered functions consume in
/// parallel across instances. Completions are counted in a table, not in one blob (see <see cref="CompleteAsync"/>):
/// the scan's counts are spread over <see cref="CounterShards"/> partitions, each holding one row per photo of its
/// share (so a photo processed twice, a duplicate message, counts once) and one counter row, and the two change
/// together in one entity-group transaction.
/// </summary>
public sealed partial class ScanService(
    BlobContainerClient scans,
    QueueClient steps,
    QueueClient photos,
    TableClient completions,
    PhotoScanner scanner,
    ILogger<ScanService> logger,
    int pagesPerStep = ScanService.DefaultPagesPerStep)
{
    public const string ScansContainer = "scans";
    public const string StepsQueue = "scan-steps";
    public const string PhotosQueue = "scan-photos";
    public const string CompletionsTable = "scancompletions";

    /// <summary>
    /// Pages (of up to 5,000 photos) one step lists: at most 50,000 photo messages to send, about a minute,
    /// well inside one invocation's time limit, and a checkpoint every 50,000 photos.
    /// </summary>
    public const int DefaultPagesPerStep = 10;

    /// <summary>
    /// Partitions a scan's completions are spread over. A counter row takes one update at a time (ETags); at the
    /// full scale-out of docs/scale.md (about 1,250 photos/s) each gets about 20 a second, and GET /api/scans/{id}
    /// reads all of them (in parallel).
    /// </summary>
    public const int CounterShards = 64;

    /// <summary>The counter row's key: photo rows are keyed by 64 hex digits, so it is never a photo's.</summary>
    private const string CounterRow = "count";

    /// <summary>A completion whose shard keeps changing under it gives up after this many tries and throws (the message is retried).</summary>
    private const int CountAttempts = 20;

    /// <summary>
    /// Record metadata: a random id per step attempt, so an attempt whose record write lost its answer (the
    /// client's retry then fails If-Match on that very write) tells it from a duplicate step that won.
    /// </summary>
    private const string WriterKey = "writer";

    /// <summary>Photo messages sent at once by a step.</summary>
    private const int ParallelSends = 32;

    private readonly Lock _readyLock = new();
    private Task? _ready;

    /// <summary>Creates the scan's record and its first step message.</summary>
    public async Task<ScanRecord> StartAsync(ScanRequest request, string trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureResourcesAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var record = new ScanRecord
        {
            // Time-ordered ids list the newest scans last.
            Id = $"{now:yyyyMMddTHHmmssZ}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
            Trigger = trigger,
            Prefix = string.IsNullOrEmpty(request.Prefix) ? null : request.Prefix,
            Redetect = request.Redetect,
            Prune = request.Prune,
            StartedAt = now,
        };
        try
        {
            await scans.GetBlobClient(BlobName(record.Id)).UploadAsync(
                BinaryData.FromObjectAsJson(record, ScanJsonContext.Default.ScanRecord),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // The id is new and random, so only this very write can have created the record: its answer was lost
            // and the client's retry met it. The record stands; without the step message below it would stay
            // "listing" for ever.
        }

        await SendAsync(steps, new ScanStepMessage(record.Id, 0), ScanJsonContext.Default.ScanStepMessage, cancellationToken);
        LogStarted(logger, record.Id, trigger, record.Prefix ?? string.Empty, record.Redetect, record.Prune);
        return record;
    }

    /// <summary>
    /// Lists the next pages of a scan and enqueues the photos that need work. A message for another step than the
    /// record expects is a duplicate and does nothing, except that a redelivered message for the step just
    /// before the record's re-sends the next step's message (the previous attempt may have saved the record and
    /// died before sending it).
    /// </summary>
    public async Task StepAsync(ScanStepMessage message, long dequeueCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stored = await ReadRecordAsync(message.ScanId, cancellationToken);
        if (stored is not var (record, etag) || record.ListedAt is not null)
        {
            return;
        }

        if (message.Step != record.Step)
        {
            if (message.Step == record.Step - 1 && dequeueCount > 1)
            {
                await SendAsync(steps, new ScanStepMessage(record.Id, record.Step), ScanJsonContext.Default.ScanStepMessage, cancellationToken);
            }

            return;
        }

        var step = await scanner.RunAsync(
            record.Request,
            record.Checkpoint ?? ScanCheckpoint.Start,
            pagesPerStep,
            (names, ct) => Parallel.ForEachAsync(
                names,
                new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = ct },
                async (name, c) => await SendAsync(photos, new PhotoMessage(record.Id, name), ScanJsonContext.Default.PhotoMessage, c)),
            cancellationToken);
        var next = record with
        {
            Counts = record.Counts + step.Counts,
            Checkpoint = step.Next,
            Step = record.Step + 1,
            ListedAt = step.Next is null ? DateTimeOffset.UtcNow : null,
        };
        var writer = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        try
        {
            await scans.GetBlobClient(BlobName(record.Id)).UploadAsync(
                BinaryData.FromObjectAsJson(next, ScanJsonContext.Default.ScanRecord),
                new BlobUploadOptions
                {
                    Metadata = new Dictionary<string, string> { [WriterKey] = writer },
                    Conditions = new BlobRequestConditions { IfMatch = etag },
                },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Either a duplicate of this step finished first (its record stands; our photo messages are
            // duplicates), or the record is our own write whose answer was lost, met by the client's retry: then we
            // go on, as returning would never send the next step's message and the scan would stall.
            if (!await WroteRecordAsync(record.Id, writer, cancellationToken))
            {
                return;
            }
        }

        if (step.Next is not null)
        {
            await SendAsync(steps, new ScanStepMessage(record.Id, next.Step), ScanJsonContext.Default.ScanStepMessage, cancellationToken);
        }
        else
        {
            LogListed(logger, record.Id, next.Counts.Listed, next.Counts.UpToDate, next.Counts.Enqueued, next.Counts.Pruned);
        }
    }

    /// <summary>
    /// Records that a photo of a scan is done, counted exactly once however often its message is delivered. The
    /// photo's row and its shard's counter live in one partition (the shard is a function of the photo name) and
    /// change in one transaction: insert the photo's row (it fails when the photo is already counted) and
    /// replace the counter if its ETag is still the one read (it fails when another consumer counted meanwhile,
    /// and then this one reads again and retries). Only the invocation that wrote the result knows whether it is
    /// an error document, so only it may change a row already there (moving one count from completed to failed
    /// or back); a duplicate that found the result in place changes nothing. Without contention this costs two
    /// requests: read the counter, submit the transaction.
    /// </summary>
    public async Task CompleteAsync(PhotoMessage message, PhotoReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var failed = report.IsErrorDocument;
        var rowKey = RowKey(message.Name);
        var partition = ShardPartition(message.ScanId, int.Parse(rowKey.AsSpan(0, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % CounterShards);
        var photoRow = new TableEntity(partition, rowKey) { ["Outcome"] = report.Outcome.ToString(), ["Failed"] = failed };

        // First try: the photo is not counted yet (the usual case), so its row is not read.
        (bool Failed, ETag ETag)? counted = null;
        for (var attempt = 1; ; attempt++)
        {
            if (counted is { } row && (report.Outcome != PhotoOutcome.Processed || row.Failed == failed))
            {
                return;
            }

            var counter = await ReadCounterAsync(partition, cancellationToken);
            var next = counted is null
                ? counter.Counts + (failed ? new DetectionCounts(0, 1) : new DetectionCounts(1, 0))
                : counter.Counts + (failed ? new DetectionCounts(-1, 1) : new DetectionCounts(1, -1));
            var counterRow = new TableEntity(partition, CounterRow) { ["Completed"] = next.Completed, ["Failed"] = next.Failed };
            TableTransactionAction[] transaction =
            [
                counted is { } existing
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, photoRow, existing.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, photoRow),
                counter.ETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, counterRow, etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, counterRow),
            ];
            try
            {
                await completions.SubmitTransactionAsync(transaction, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < CountAttempts)
            {
                // The counter moved (another photo of this shard was counted) or this photo's row exists: when the
                // photo's row is what failed, or the service does not say which, look at the row again.
                if (e.FailedTransactionActionIndex != 1)
                {
                    var stored = await completions.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, select: ["Failed"], cancellationToken: cancellationToken);
                    counted = stored.HasValue ? (stored.Value!.GetBoolean("Failed") == true, stored.Value.ETag) : null;
                }
            }
        }
    }

    /// <summary>
    /// The scan's record with its detection counts, or null when there is no such scan: the record, then the
    /// <see cref="CounterShards"/> counter rows in parallel, whatever the number of photos.
    /// </summary>
    public async Task<ScanRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!IsScanId(id) || await ReadRecordAsync(id, cancellationToken) is not var (record, _))
        {
            return null;
        }

        var detections = default(DetectionCounts);
        try
        {
            foreach (var counter in await Task.WhenAll(Enumerable.Range(0, CounterShards).Select(shard => ReadCounterAsync(ShardPartition(id, shard), cancellationToken))))
            {
                detections += counter.Counts;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No photo completed yet anywhere: the table is created with the first scan.
        }

        return record with { Detections = detections };
    }

    /// <summary>
    /// Whether an earlier scan is still at work: its steps or photos are queued. A scheduled scan then skips its
    /// turn, because it would enqueue again every photo still waiting in the queue.
    /// </summary>
    public async Task<bool> IsBusyAsync(CancellationToken cancellationToken)
    {
        await EnsureResourcesAsync(cancellationToken);
        foreach (var queue in new[] { steps, photos })
        {
            if ((await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Scan ids are ours (see <see cref="StartAsync"/>): anything else is no scan, and never reaches a blob name.</summary>
    public static bool IsScanId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>Creates the scan's container, queues and table once per process (a local emulator starts empty).</summary>
    public Task EnsureResourcesAsync(CancellationToken cancellationToken)
    {
        lock (_readyLock)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = Task.WhenAll(
                    scans.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
                    steps.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
                    photos.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
                    completions.CreateIfNotExistsAsync(cancellationToken));
            }

            return _ready;
        }
    }

    private static string BlobName(string id) => id + ".json";

    /// <summary>A shard's partition: the scan id and the shard number.</summary>
    private static string ShardPartition(string scanId, int shard) => string.Create(CultureInfo.InvariantCulture, $"{scanId}-{shard:D2}");

    /// <summary>A shard's counts and the counter row's ETag (null: nothing counted in it yet).</summary>
    private async Task<(DetectionCounts Counts, ETag? ETag)> ReadCounterAsync(string partition, CancellationToken cancellationToken)
    {
        var row = await completions.GetEntityIfExistsAsync<TableEntity>(partition, CounterRow, cancellationToken: cancellationToken);
        return row.HasValue
            ? (new DetectionCounts(row.Value!.GetInt64("Completed") ?? 0, row.Value.GetInt64("Failed") ?? 0), row.Value.ETag)
            : (default, null);
    }

    /// <summary>Whether the record's current version is the write tagged <paramref name="writer"/>.</summary>
    private async Task<bool> WroteRecordAsync(string id, string writer, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await scans.GetBlobClient(BlobName(id)).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            return properties.Metadata.TryGetValue(WriterKey, out var stored) && stored == writer;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Table keys may not hold '/', '\', '#', '?' or control characters: the photo name is hashed.</summary>
    private static string RowKey(string photoName) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(photoName)));

    private static Task SendAsync<T>(QueueClient queue, T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        queue.SendMessageAsync(BinaryData.FromString(JsonSerializer.Serialize(message, type)), cancellationToken: cancellationToken);

    private async Task<(ScanRecord Record, ETag ETag)?> ReadRecordAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await scans.GetBlobClient(BlobName(id)).DownloadContentAsync(cancellationToken)).Value;
            return (content.Content.ToObjectFromJson(ScanJsonContext.Default.ScanRecord)!, content.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan {ScanId} started by {Trigger} (prefix '{Prefix}', redetect {Redetect}, prune {Prune})")]
    private static partial void LogStarted(ILogger logger, string scanId, string trigger, string prefix, bool redetect, bool prune);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan {ScanId} listed {Listed} photos: {UpToDate} up to date, {Enqueued} enqueued, {Pruned} orphaned results pruned")]
    private static partial void LogListed(ILogger logger, string scanId, long listed, long upToDate, long enqueued, long pruned);
}
