using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Results;
using FaceFunctions.Storage.Scanning;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// The scan's queue path in one process, against a private Azurite: a scan through <see cref="ScanService"/>
/// (record, scan-steps, scan-photos, completion counters), drained by consumers that do what the functions
/// ContinueScan and DetectQueuedPhoto do (receive, run, delete), with the app's defaults: two consumers per
/// instance (host.json: batchSize 1 + newBatchThreshold 1), two detections at once, each on
/// cores / 2 threads, annotated and anonymized copies on. No Functions host: its own polling and scale-out are
/// not in the figure. Prints the photos detected per minute, from the scan's start to its last completion.
/// </summary>
internal static class QueueConsumers
{
    private const int MaxConcurrentDetections = 2;
    private static readonly TimeSpan EmptyQueuePause = TimeSpan.FromMilliseconds(100);

    /// <summary><c>queue-consumers &lt;consumers&gt; &lt;copies&gt; &lt;photo files&gt;...</c>: every file uploaded <c>copies</c> times.</summary>
    public static async Task<int> RunAsync(int consumers, int copies, IReadOnlyList<string> files)
    {
        using var server = new AzuriteServer();
        var blobs = server.CreateClient();
        var names = ContainerNames.Default;
        var photos = blobs.GetBlobContainerClient(names.Photos);
        await photos.CreateIfNotExistsAsync();
        var uploads = Enumerable.Range(0, copies).SelectMany(copy => files.Select(file => (Name: string.Create(CultureInfo.InvariantCulture, $"{copy:D3}/{Path.GetFileName(file)}"), File: file)));
        await Parallel.ForEachAsync(uploads, async (upload, ct) => await photos.GetBlobClient(upload.Name).UploadAsync(upload.File, overwrite: true, ct));

        using var pipeline = PhotoPipeline.Create(new PipelineOptions
        {
            Inference = new InferenceOptions { Threads = Math.Max(1, Environment.ProcessorCount / MaxConcurrentDetections) },
            Output = new OutputOptions { WriteAnnotated = true, WriteAnonymized = true },
        });
        var results = ResultContainers.Create(blobs, names);
        var store = new ResultStore(results, NullLogger<ResultStore>.Instance);
        using var processor = new PhotoProcessor(pipeline, store, MaxConcurrentDetections, NullLogger<PhotoProcessor>.Instance);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var steps = new QueueClient(server.ConnectionString, ScanService.StepsQueue, queueOptions);
        var queue = new QueueClient(server.ConnectionString, ScanService.PhotosQueue, queueOptions);
        var service = new ScanService(
            blobs.GetBlobContainerClient(ScanService.ScansContainer),
            steps,
            queue,
            new TableClient(server.ConnectionString, ScanService.CompletionsTable),
            new PhotoScanner(photos, store, results, new OrphanPruner(photos, results, NullLogger<OrphanPruner>.Instance), processor.Detector, NullLogger<PhotoScanner>.Instance),
            NullLogger<ScanService>.Instance);

        var clock = Stopwatch.StartNew();
        var record = await service.StartAsync(new ScanRequest(), "bench", default);
        using var done = new CancellationTokenSource();
        var stepper = ConsumeAsync(steps, async message =>
            await service.StepAsync(message.Body.ToObjectFromJson(ScanJsonContext.Default.ScanStepMessage)!, message.DequeueCount, default), done.Token);
        long handled = 0;
        var workers = Enumerable.Range(0, consumers).Select(_ => ConsumeAsync(queue, async message =>
        {
            var photo = message.Body.ToObjectFromJson(ScanJsonContext.Default.PhotoMessage)!;
            await service.CompleteAsync(photo, await processor.ProcessAsync(photos.GetBlobClient(photo.Name), default), default);
            Interlocked.Increment(ref handled);
        }, done.Token)).ToList();

        // Every photo is new, so every one is enqueued: wait for that many completions here (reading the scan's
        // counters in a loop would load the emulator), then confirm with the scan's own status.
        var running = workers.Append(stepper).ToList();
        var total = (long)copies * files.Count;
        ScanRecord status;
        while (true)
        {
            while (Interlocked.Read(ref handled) < total)
            {
                if (running.Find(task => task.IsFaulted) is { } failed)
                {
                    // A consumer died (storage failed): report it instead of waiting for ever.
                    await failed;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }

            status = (await service.GetAsync(record.Id, default))!;
            if (status.Status == "finished")
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        var elapsed = clock.Elapsed;
        await done.CancelAsync();
        await Task.WhenAll(running);
        var detected = status.Detections!.Value.Completed + status.Detections.Value.Failed;
        Console.WriteLine(JsonSerializer.Serialize(status, ScanJsonContext.Default.ScanRecord));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{detected} photos by {consumers} consumers in {elapsed.TotalSeconds:F1} s: {detected / elapsed.TotalMinutes:F0} photos/min"));
        return 0;
    }

    /// <summary>What the host does for a queue function: receive one message, run, delete it; poll again when empty.</summary>
    private static async Task ConsumeAsync(QueueClient queue, Func<Azure.Storage.Queues.Models.QueueMessage, Task> run, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var received = (await queue.ReceiveMessagesAsync(maxMessages: 1, visibilityTimeout: TimeSpan.FromMinutes(5), CancellationToken.None)).Value;
            if (received.Length == 0)
            {
                try
                {
                    await Task.Delay(EmptyQueuePause, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            await run(received[0]);
            await queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);
        }
    }
}
