using System.Diagnostics;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FaceFunctions.App.Functions;
using FaceFunctions.App.Tests.Storage;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Results;
using FaceFunctions.Storage.Scanning;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>
/// Storage failing at random (<see cref="RandomFaultTransport"/>: 10 % of requests get a 503, a 429 with
/// Retry-After, a timeout or a dropped connection, or lose their answer after storage carried them out) while a few
/// hundred small photos go through the blob-trigger function and through a scan's queue functions, with this test
/// in the Functions host's place, retrying as host.json says. Afterwards a fault-free client reads everything back
/// (<see cref="ResultAudit"/>): every photo has exactly one complete result unless it was poisoned, and then it has
/// no half-written one; no failure reached the host that the product should have handled itself (a 409 or 412 from
/// a retried conditional write, a 404 from a retried delete); retries are bounded and each failed attempt is logged.
/// See <see cref="FaultRun"/> for the seed and size; the seed is in every failure message.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageFaultTests(AzuriteFixture azurite, PipelineFixture pipeline, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    /// <summary>host.json extensions.blobs.maxDegreeOfParallelism: events one instance runs at once.</summary>
    private const int BlobParallelism = 4;

    /// <summary>Queue consumers at once: two instances of host.json's batchSize + newBatchThreshold (2).</summary>
    private const int QueueConsumers = 4;

    [Fact]
    public async Task Blob_events_under_random_storage_faults_leave_exactly_one_complete_result_per_photo()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var names = await UploadAsync(scenario, FaultRun.Photos);
        var faults = new RandomFaultTransport(FaultRun.Seed, FaultRun.Probability);
        var client = azurite.Server.CreateClient(faults);
        var logs = new RecordingLogger<PhotoProcessor>();
        var storeLogs = new RecordingLogger<ResultStore>();
        using var processor = new PhotoProcessor(pipeline.Pipeline, Store(scenario, client, storeLogs), scenario.Options.MaxConcurrentDetections, logs);
        var function = new DetectFaces(processor);
        var photos = client.GetBlobContainerClient(scenario.Options.PhotosContainer);
        var host = new BlobTriggerHost(name => function.Run(photos.GetBlobClient(name), default), FaultRun.PoisonBlobThreshold, BlobParallelism);

        var clock = Stopwatch.StartNew();
        // Event Grid delivers at least once: every 8th photo's event arrives twice, at the same time.
        List<string> events = [.. names.SelectMany((name, i) => i % 8 == 0 ? new[] { name, name } : [name])];
        await host.DeliverAsync(events);
        // Every 4th photo is uploaded again with other content (mostly another face count), and its event comes.
        var reuploaded = names.Where((_, i) => i % 4 == 1).ToList();
        foreach (var name in reuploaded)
        {
            await scenario.UploadPhotoAsync(name, SmallPhotos.For(names.IndexOf(name) + 3));
        }

        await host.DeliverAsync(reuploaded);
        clock.Stop();

        var context = Report($"blob trigger: {names.Count} photos ({reuploaded.Count} uploaded anew), {events.Count + reuploaded.Count} events", faults, host.Summary, clock.Elapsed, storeLogs);
        await AssertExactlyOneCompleteResultAsync(scenario, names, host.Poisoned, context);
        AssertNoFailureTheProductShouldHaveHandled(host.Failures, context);
        Assert.True(host.MostAttempts <= FaultRun.PoisonBlobThreshold, context);
        Assert.True(faults.MostRetries <= RandomFaultTransport.ProductMaxRetries, context);
        foreach (var failed in host.Failures.GroupBy(f => f.Item))
        {
            // Each failed attempt left one warning naming the photo and what failed.
            Assert.True(
                failed.Count() == logs.Entries.Count(e => e.Level == LogLevel.Warning && e.State.Any(p => p.Key == "PhotoName" && Equals(p.Value, failed.Key))),
                $"{failed.Key}: {failed.Count()} failed attempts, but the warnings are: {string.Join(" | ", logs.Warnings)}\n{context}");
        }
    }

    [Fact]
    public async Task A_scan_through_the_queues_under_random_storage_faults_leaves_exactly_one_complete_result_per_photo_and_counts_that_add_up()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var names = await UploadAsync(scenario, FaultRun.Photos);
        var faults = new RandomFaultTransport(FaultRun.Seed + 1, FaultRun.Probability);
        var blobs = azurite.Server.CreateClient(faults);
        var storeLogs = new RecordingLogger<ResultStore>();
        using var processor = new PhotoProcessor(pipeline.Pipeline, Store(scenario, blobs, storeLogs), scenario.Options.MaxConcurrentDetections, new RecordingLogger<PhotoProcessor>());
        var (service, steps, photoQueue) = Scan(scenario, blobs, processor, faults);
        var functions = new ScanFunctions(service, processor, blobs, Options.Create(scenario.Options));
        var host = new QueueHost(FaultRun.MaxDequeueCount, FaultRun.Seed, lostDeletes: 0.05);

        var clock = Stopwatch.StartNew();
        // POST /api/scans: a caller whose request failed asks again.
        ScanRecord? record = null;
        for (var attempt = 1; record is null && attempt <= 3; attempt++)
        {
            try
            {
                record = await service.StartAsync(new ScanRequest(), "test", default);
            }
            catch (Exception e) when (StorageFailure.Is(e, default))
            {
                output.WriteLine($"starting the scan failed ({StorageFailure.Describe(e)}); asking again");
            }
        }

        Assert.NotNull(record);
        await host.RunAsync(QueueConsumers, [(steps, m => functions.ContinueScan(m, default)), (photoQueue, m => functions.DetectQueuedPhoto(m, default))]);
        clock.Stop();

        var context = Report($"scan queues: {names.Count} photos", faults, host.Summary, clock.Elapsed, storeLogs);
        Assert.True(host.Poisoned.All(p => p.Queue == photoQueue.Name), $"a scan step was poisoned: the scan stopped listing\n{context}");
        var poisoned = host.Poisoned.Select(p => p.Message.Body.ToObjectFromJson(ScanJsonContext.Default.PhotoMessage)!.Name).ToHashSet(StringComparer.Ordinal);
        await AssertExactlyOneCompleteResultAsync(scenario, names, poisoned, context);
        AssertNoFailureTheProductShouldHaveHandled(host.Failures, context);
        Assert.True(host.MostDequeues <= FaultRun.MaxDequeueCount + 1, context);
        Assert.True(faults.MostRetries <= RandomFaultTransport.ProductMaxRetries, context);

        // The record, read without faults: every photo listed once (a step redone after a failure relists its page,
        // and then finds some of its photos already done), each done photo counted once, error documents apart.
        var (clean, _, _) = Scan(scenario, scenario.Client, processor, faults: null);
        var done = await clean.GetAsync(record.Id, default);
        var corrupt = names.Where((name, i) => SmallPhotos.IsCorrupt(i) && !poisoned.Contains(name)).Count();
        Assert.True(done!.Counts.Listed == names.Count && done.Counts.Enqueued + done.Counts.UpToDate == names.Count, $"{done.Counts}\n{context}");
        Assert.True(done.Detections == new DetectionCounts(names.Count - poisoned.Count - corrupt, corrupt), $"{done.Detections}\n{context}");
        Assert.Equal(poisoned.Count == 0 ? "finished" : "detecting", done.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_document_write_whose_answer_is_lost_counts_as_committed_and_leaves_only_the_new_crops(bool reupload)
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        await scenario.UploadPhotoAsync("team.png", PipelineFixture.Group(3));
        if (reupload)
        {
            using var first = new PhotoProcessor(pipeline.Pipeline, scenario.Store(), 1, NullLogger<PhotoProcessor>.Instance);
            await first.ProcessAsync(scenario.Photos.GetBlobClient("team.png"), default);
            await scenario.UploadPhotoAsync("team.png", PipelineFixture.Group(1));
        }

        // Storage writes the document, then the connection drops: the client retries the conditional write, which
        // now fails its condition (412 after If-Match, 409 after If-None-Match) on the very document it wrote.
        var lost = new RandomFaultTransport(
            seed: 1,
            probability: 1,
            kinds: [StorageFault.AnswerLost],
            applies: m => m.Request.Method == RequestMethod.Put && m.Request.Uri.Path.Contains($"/{scenario.Options.DetectionsContainer}/", StringComparison.Ordinal),
            maxFaults: 1);
        var logs = new RecordingLogger<ResultStore>();
        using var processor = new PhotoProcessor(pipeline.Pipeline, Store(scenario, azurite.Server.CreateClient(lost), logs), 1, NullLogger<PhotoProcessor>.Instance);

        var report = await processor.ProcessAsync(scenario.Photos.GetBlobClient("team.png"), default);

        Assert.Equal(1, lost.Injected(StorageFault.AnswerLost));
        Assert.Equal(PhotoOutcome.Processed, report.Outcome);
        Assert.Equal(reupload ? 1 : 3, report.Document!.Faces!.Count);
        var audit = await ResultAudit.ReadAsync(scenario.Photos, scenario.Containers, copies: true);
        Assert.True(audit.StateOf("team.png") == ResultState.Complete, audit.WhyNotComplete("team.png"));
        Assert.Single(logs.Warnings);
    }

    private static ResultStore Store(StorageScenario scenario, BlobServiceClient client, ILogger<ResultStore> logger) =>
        new(ResultContainers.Create(client, scenario.Options.ToContainerNames()), logger);

    /// <summary><paramref name="count"/> small photos (<see cref="SmallPhotos"/>), uploaded without faults.</summary>
    private static async Task<List<string>> UploadAsync(StorageScenario scenario, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => $"album/{i:D4}.jpg").ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await scenario.UploadPhotoAsync(names[i], SmallPhotos.For(i)));
        return names;
    }

    /// <summary>
    /// A scan service as the app builds it (ServiceRegistration), on this test's own queues and table, every client
    /// going through <paramref name="faults"/>; and the queues without faults, for the test playing the host.
    /// </summary>
    private (ScanService Service, QueueClient Steps, QueueClient Photos) Scan(StorageScenario scenario, BlobServiceClient blobs, PhotoProcessor processor, RandomFaultTransport? faults)
    {
        var suffix = scenario.Options.PhotosContainer["photos-".Length..];
        var server = azurite.Server;
        var credential = new StorageSharedKeyCredential(server.AccountName, server.AccountKey);
        QueueClient Queue(string name, RandomFaultTransport? through) => new(
            new Uri($"{server.QueueEndpoint}/{name}"),
            credential,
            RandomFaultTransport.WithProductRetries(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, through));
        var table = new TableClient(
            server.TableEndpoint,
            $"completions{suffix}",
            new TableSharedKeyCredential(server.AccountName, server.AccountKey),
            RandomFaultTransport.WithProductRetries(new TableClientOptions(), faults));
        var photos = blobs.GetBlobContainerClient(scenario.Options.PhotosContainer);
        var results = ResultContainers.Create(blobs, scenario.Options.ToContainerNames());
        var scanner = new PhotoScanner(
            photos,
            new ResultStore(results, NullLogger<ResultStore>.Instance),
            results,
            new OrphanPruner(photos, results, NullLogger<OrphanPruner>.Instance),
            processor.Detector,
            NullLogger<PhotoScanner>.Instance,
            pageSize: 50);
        var service = new ScanService(
            blobs.GetBlobContainerClient($"scans-{suffix}"),
            Queue($"steps-{suffix}", faults),
            Queue($"photos-{suffix}", faults),
            table,
            scanner,
            NullLogger<ScanService>.Instance,
            pagesPerStep: 1);
        return (service, Queue($"steps-{suffix}", null), Queue($"photos-{suffix}", null));
    }

    /// <summary>
    /// Every photo has exactly one complete result, except the poisoned, which have none, an earlier version's,
    /// or leftovers of an unfinished attempt beside a whole document; never a half-written one. No result of a
    /// photo that does not exist.
    /// </summary>
    private static async Task AssertExactlyOneCompleteResultAsync(StorageScenario scenario, IReadOnlyList<string> names, IReadOnlySet<string> poisoned, string context)
    {
        var audit = await ResultAudit.ReadAsync(scenario.Photos, scenario.Containers, copies: true);
        var incomplete = names.Where(n => !poisoned.Contains(n) && audit.StateOf(n) != ResultState.Complete).ToList();
        Assert.True(incomplete.Count == 0, $"{incomplete.Count} photos without their complete result:\n{audit.Describe(incomplete)}\n{context}");
        var broken = poisoned.Where(n => audit.StateOf(n) == ResultState.Broken).ToList();
        Assert.True(broken.Count == 0, $"half-written results of poisoned photos:\n{audit.Describe(broken)}\n{context}");
        Assert.True(audit.Orphans.Count == 0, $"results of no photo: {string.Join(", ", audit.Orphans)}\n{context}");
    }

    /// <summary>Only storage failing past the client's retries may reach the host; never a 404, 409 or 412 the product should have handled.</summary>
    private static void AssertNoFailureTheProductShouldHaveHandled(IReadOnlyList<FailedAttempt> failures, string context)
    {
        var wrong = failures.Where(f => !StorageFailure.Is(f.Failure, default) || FaultRun.HasConflict(f.Failure)).ToList();
        Assert.True(wrong.Count == 0, $"failures the product should have handled:\n{string.Join("\n", wrong.Select(f => $"{f.Item} (attempt {f.Attempt}): {f.Failure}"))}\n{context}");
    }

    /// <summary>The run's figures, written to the test output and carried by every failure message.</summary>
    private string Report(string run, RandomFaultTransport faults, string host, TimeSpan elapsed, RecordingLogger<ResultStore> storeLogs)
    {
        var ownCommits = storeLogs.Entries.Count(e => e.Level == LogLevel.Warning);
        var text = $"{run} in {elapsed.TotalSeconds:F1} s; storage: {faults.Summary}; host: {host}; " +
                   $"{ownCommits} document writes whose answer was lost were recognised as committed; {FaultRun.Replay}";
        output.WriteLine(text);
        return text;
    }
}
