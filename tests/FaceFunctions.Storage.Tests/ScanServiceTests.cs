using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Results;
using FaceFunctions.Storage.Scanning;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceFunctions.Storage.Tests;

/// <summary>
/// The queue fan-out as the function app runs it, with this test in the Functions host's place: it receives
/// messages, calls the same methods the functions call, and deletes a message only when the call returned.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScanServiceTests(AzuriteFixture azurite, Pipelines pipelines) : IClassFixture<Pipelines>
{
    [Fact]
    public async Task Concurrent_consumers_over_duplicate_messages_leave_exactly_one_complete_result_per_photo_and_counts_that_add_up()
    {
        var scenario = await ScanScenario.EmptyAsync(azurite.Server);
        var names = Enumerable.Range(0, 20).Select(i => $"batch/{i:D2}.png").ToList();
        for (var i = 0; i < names.Count; i++)
        {
            var bytes = i == 7 ? "not a photo"u8.ToArray() : i % 10 == 3 ? Pipelines.Astronaut() : Pipelines.SmallPhoto(i);
            await scenario.Photos.GetBlobClient(names[i]).UploadAsync(BinaryData.FromBytes(bytes));
        }

        var (service, steps, photos) = Service(scenario, pageSize: 8, pagesPerStep: 1);
        var record = await service.StartAsync(new ScanRequest(), "test", default);

        // The listing: three steps of one page each; every step message also arrives twice.
        for (var drained = false; !drained;)
        {
            var received = (await steps.ReceiveMessagesAsync(maxMessages: 1)).Value;
            drained = received.Length == 0;
            foreach (var message in received)
            {
                var step = message.Body.ToObjectFromJson(ScanJsonContext.Default.ScanStepMessage)!;
                await service.StepAsync(step, message.DequeueCount, default);
                await service.StepAsync(step, message.DequeueCount, default);
                await steps.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        // Every photo message twice, then four consumers at once.
        var listed = await service.GetAsync(record.Id, default);
        Assert.Equal("detecting", listed!.Status);
        Assert.Equal(new ScanCounts(3, 20, 0, 20, 0), listed.Counts);
        foreach (var name in names)
        {
            await photos.SendMessageAsync(JsonSerializer.Serialize(new PhotoMessage(record.Id, name), ScanJsonContext.Default.PhotoMessage));
        }

        using var processor = scenario.Processor(pipelines.Current);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                QueueMessage[] batch = (await photos.ReceiveMessagesAsync(maxMessages: 2, visibilityTimeout: TimeSpan.FromMinutes(5))).Value;
                if (batch.Length == 0)
                {
                    return;
                }

                foreach (var message in batch)
                {
                    var photo = message.Body.ToObjectFromJson(ScanJsonContext.Default.PhotoMessage)!;
                    var report = await processor.ProcessAsync(scenario.Photos.GetBlobClient(photo.Name), default);
                    await service.CompleteAsync(photo, report, default);
                    await photos.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
        })));

        foreach (var name in names)
        {
            await AssertOneCompleteResultAsync(scenario, name);
        }

        var done = await service.GetAsync(record.Id, default);
        Assert.Equal(new DetectionCounts(19, 1), done!.Detections);
        Assert.Equal("finished", done.Status);
        Assert.NotNull(done.ListedAt);
        Assert.Null(await service.GetAsync("no-such-scan", default));
        Assert.Null(await service.GetAsync("../photos", default));
    }

    [Fact]
    public async Task A_step_redelivered_after_its_record_was_saved_sends_the_lost_next_step_and_lists_nothing_twice()
    {
        var scenario = await ScanScenario.EmptyAsync(azurite.Server);
        for (var i = 0; i < 12; i++)
        {
            await scenario.Photos.GetBlobClient($"{i:D2}.png").UploadAsync(BinaryData.FromBytes(Pipelines.SmallPhoto(i)));
        }

        var (service, steps, photos) = Service(scenario, pageSize: 5, pagesPerStep: 1);
        Assert.False(await service.IsBusyAsync(default));
        var record = await service.StartAsync(new ScanRequest(), "test", default);
        var first = Assert.Single((await steps.ReceiveMessagesAsync(maxMessages: 32)).Value);
        await service.StepAsync(first.Body.ToObjectFromJson(ScanJsonContext.Default.ScanStepMessage)!, first.DequeueCount, default);

        // The invocation died after saving the record: its next-step message never reached the queue.
        var sent = Assert.Single((await steps.ReceiveMessagesAsync(maxMessages: 32)).Value);
        await steps.DeleteMessageAsync(sent.MessageId, sent.PopReceipt);
        await service.StepAsync(first.Body.ToObjectFromJson(ScanJsonContext.Default.ScanStepMessage)!, dequeueCount: 2, default);

        Assert.True(await service.IsBusyAsync(default));
        var resent = Assert.Single((await steps.ReceiveMessagesAsync(maxMessages: 32)).Value);
        Assert.Equal(new ScanStepMessage(record.Id, 1), resent.Body.ToObjectFromJson(ScanJsonContext.Default.ScanStepMessage));
        Assert.Equal(5, (await photos.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(5, (await service.GetAsync(record.Id, default))!.Counts.Enqueued);
    }

    [Fact]
    public async Task Completions_count_each_photo_once_under_duplicates_and_races_and_a_scans_counts_cost_a_fixed_number_of_reads()
    {
        var scenario = await ScanScenario.EmptyAsync(azurite.Server);
        var requests = new RequestCounter();
        var (service, _, _) = Service(scenario, pageSize: 8, pagesPerStep: 1, requests);
        var record = await service.StartAsync(new ScanRequest(), "test", default);
        var names = Enumerable.Range(0, 300).Select(i => $"many/{i:D3}.png").ToList();
        var error = new DetectionDocument { Source = new SourceInfo { Name = "many" }, Error = new DocumentError("Corrupt", "The photo is not an image.") };
        PhotoReport Written(int i) => new(PhotoOutcome.Processed, i % 10 == 0 ? error : new DetectionDocument { Source = new SourceInfo { Name = names[i] } });
        PhotoMessage Message(int i) => new(record.Id, names[i]);

        // A duplicate that found the result in place is counted before the invocation that wrote it: as completed,
        // until the writer, who knows its result is an error document, moves it to failed. Two requests each.
        var before = requests.Count;
        for (var i = 0; i < 10; i++)
        {
            await service.CompleteAsync(Message(i), new PhotoReport(PhotoOutcome.AlreadyDone), default);
        }

        Assert.Equal(2 * 10, requests.Count - before);
        Assert.Equal(new DetectionCounts(10, 0), (await service.GetAsync(record.Id, default))!.Detections);

        // Then every photo's writer and two duplicates, in random order, sixteen at a time: shards race.
        var random = new Random(300);
        var deliveries = Enumerable.Range(0, names.Count)
            .SelectMany(i => new[] { (i, Written(i)), (i, new PhotoReport(PhotoOutcome.AlreadyDone)), (i, new PhotoReport(PhotoOutcome.AlreadyDone)) })
            .OrderBy(_ => random.Next())
            .ToList();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (delivery, ct) =>
            await service.CompleteAsync(Message(delivery.Item1), delivery.Item2, ct));

        // Writers that counted after their duplicates leave the error documents' photos failed either way.
        var reads = requests.Count;
        var done = await service.GetAsync(record.Id, default);
        Assert.Equal(ScanService.CounterShards, requests.Count - reads);
        Assert.Equal(new DetectionCounts(270, 30), done!.Detections);
    }

    [Fact]
    public async Task A_scan_whose_record_writes_lose_their_answers_still_starts_and_lists_every_page_once()
    {
        var scenario = await ScanScenario.EmptyAsync(azurite.Server);
        for (var i = 0; i < 12; i++)
        {
            await scenario.Photos.GetBlobClient($"{i:D2}.png").UploadAsync(BinaryData.FromBytes(Pipelines.SmallPhoto(i)));
        }

        // Every first try of a write to the scan's record reaches storage, then its answer is lost: the client's
        // retry meets the record it has just written (409 after If-None-Match: *, 412 after If-Match).
        var lost = new RandomFaultTransport(
            seed: 1,
            probability: 1,
            kinds: [StorageFault.AnswerLost],
            applies: m => m.Request.Method == RequestMethod.Put && m.Request.Uri.Path.Contains("/scans-", StringComparison.Ordinal) && m.Request.Uri.Path.EndsWith(".json", StringComparison.Ordinal) && m.ProcessingContext.RetryNumber == 0);
        var (service, steps, photos) = Service(scenario, pageSize: 5, pagesPerStep: 1, scans: azurite.Server.CreateClient(lost));

        var record = await service.StartAsync(new ScanRequest(), "test", default);
        for (var received = (await steps.ReceiveMessagesAsync(maxMessages: 32)).Value; received.Length > 0; received = (await steps.ReceiveMessagesAsync(maxMessages: 32)).Value)
        {
            var message = Assert.Single(received);
            await service.StepAsync(message.Body.ToObjectFromJson(ScanJsonContext.Default.ScanStepMessage)!, message.DequeueCount, default);
            await steps.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        Assert.Equal(4, lost.Injected(StorageFault.AnswerLost));
        var listed = await service.GetAsync(record.Id, default);
        Assert.NotNull(listed!.ListedAt);
        Assert.Equal(new ScanCounts(3, 12, 0, 12, 0), listed.Counts);
        Assert.Equal(12, (await photos.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private static async Task AssertOneCompleteResultAsync(ScanScenario scenario, string name)
    {
        var names = OutputNames.For(name);
        var photo = (await scenario.Photos.GetBlobClient(name).GetPropertiesAsync()).Value;
        var content = (await scenario.Results.Detections.GetBlobClient(names.Document).DownloadContentAsync()).Value.Content;
        var document = content.ToObjectFromJson(DetectionDocumentJsonContext.Default.DetectionDocument)!;
        Assert.Equal(photo.ETag.ToString(), document.Source.ETag);
        var crops = new List<string>();
        await foreach (var item in scenario.Results.Faces.GetBlobsByHierarchyAsync(new Azure.Storage.Blobs.Models.GetBlobsByHierarchyOptions { Prefix = names.CropFolder, Delimiter = "/" }))
        {
            if (item.IsBlob)
            {
                crops.Add($"{scenario.Names.Faces}/{item.Blob.Name}");
            }
        }

        Assert.Equal((document.Faces ?? []).Select(f => f.Crop!).Order(StringComparer.Ordinal), crops.Order(StringComparer.Ordinal));
        Assert.Equal(document.Error is null, await scenario.Results.Annotated.GetBlobClient(names.Annotated).ExistsAsync());
    }

    private (ScanService Service, QueueClient Steps, QueueClient Photos) Service(ScanScenario scenario, int pageSize, int pagesPerStep, RequestCounter? tableRequests = null, BlobServiceClient? scans = null)
    {
        // Per-test queue and table names: the tests share one Azurite.
        var suffix = scenario.Names.Photos["photos-".Length..];
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var steps = new QueueClient(azurite.Server.ConnectionString, $"steps-{suffix}", options);
        var photos = new QueueClient(azurite.Server.ConnectionString, $"photos-{suffix}", options);
        var tableOptions = new TableClientOptions();
        if (tableRequests is not null)
        {
            tableOptions.AddPolicy(tableRequests, HttpPipelinePosition.PerRetry);
        }

        var table = new TableClient(azurite.Server.ConnectionString, $"completions{suffix}", tableOptions);
        var service = new ScanService(
            (scans ?? scenario.Client).GetBlobContainerClient($"scans-{suffix}"),
            steps,
            photos,
            table,
            scenario.Scanner(pipelines.Current, pageSize: pageSize),
            NullLogger<ScanService>.Instance,
            pagesPerStep);
        return (service, steps, photos);
    }
}
