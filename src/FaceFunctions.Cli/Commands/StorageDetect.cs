using System.CommandLine;
using System.Diagnostics;
using System.Threading.Channels;
using Azure.Identity;
using Azure.Storage.Blobs;
using FaceFunctions.Cli.Output;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Results;
using FaceFunctions.Storage.Scanning;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// <c>facefunctions detect --connection ... | --account-url ...</c>: the function app's bulk detection, run in
/// this process against any storage account. The scan and the processor are the app's own
/// (FaceFunctions.Storage), so the results are exactly what the function app writes, to the same containers;
/// what finished is never redone (a rerun after Ctrl+C or a crash goes on where the last one stopped).
/// </summary>
internal sealed class StorageDetect
{
    private const int ChannelCapacity = 256;

    /// <summary>128 + SIGINT: how shells report a command stopped with Ctrl+C.</summary>
    private const int Interrupted = 130;

    private readonly Func<BlobClientOptions> _clientOptions;

    private StorageDetect(Func<BlobClientOptions> clientOptions)
    {
        _clientOptions = clientOptions;
    }

    /// <summary>
    /// The storage client's defaults, as the function app runs with (Microsoft.Extensions.Azure adds nothing):
    /// 5 retries per request (BlobClientOptions' own default), exponential back-off from 0.8 s to 1 min honouring
    /// Retry-After, a 100-s network timeout.
    /// </summary>
    public static Func<BlobClientOptions> DefaultClientOptions { get; } = () => new BlobClientOptions();

    public Option<string?> Connection { get; } = new("--connection") { Description = "Storage connection string: detect the photos of this account instead of local files" };

    public Option<Uri?> AccountUrl { get; } = new("--account-url") { Description = "Blob endpoint (https://<account>.blob.core.windows.net), signed in with DefaultAzureCredential: detect the photos of this account" };

    public Option<string> Container { get; } = new("--container") { Description = "Photos container (storage mode)", DefaultValueFactory = _ => ContainerNames.DefaultPhotos };

    public Option<string?> Prefix { get; } = new("--prefix") { Description = "Only photos whose names start with this (storage mode)" };

    public Option<bool> Redetect { get; } = new("--redetect") { Description = "Also redo results made by another detector configuration (storage mode)" };

    public Option<bool> Prune { get; } = new("--prune") { Description = "Delete results whose photo no longer exists (storage mode)" };


    public Option<string> Detections { get; } = new("--detections-container") { Description = "Where documents go (storage mode)", DefaultValueFactory = _ => ContainerNames.DefaultDetections };

    public Option<string> Faces { get; } = new("--faces-container") { Description = "Where face crops go (storage mode)", DefaultValueFactory = _ => ContainerNames.DefaultFaces };

    public Option<string> Annotated { get; } = new("--annotated-container") { Description = "Where annotated copies go (storage mode)", DefaultValueFactory = _ => ContainerNames.DefaultAnnotated };

    public Option<string> Anonymized { get; } = new("--anonymized-container") { Description = "Where anonymized copies go (storage mode)", DefaultValueFactory = _ => ContainerNames.DefaultAnonymized };

    /// <summary>Adds the storage mode's options to <paramref name="command"/>; its clients take <paramref name="clientOptions"/>.</summary>
    public static StorageDetect AddTo(Command command, Func<BlobClientOptions> clientOptions)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(clientOptions);
        var mode = new StorageDetect(clientOptions);
        foreach (var option in new Option[] { mode.Connection, mode.AccountUrl, mode.Container, mode.Prefix, mode.Redetect, mode.Prune, mode.Detections, mode.Faces, mode.Annotated, mode.Anonymized })
        {
            command.Options.Add(option);
        }

        return mode;
    }

    /// <summary>Whether the invocation asks for storage mode.</summary>
    public bool IsRequested(ParseResult parse) => parse.GetValue(Connection) is not null || parse.GetValue(AccountUrl) is not null;


    public async Task<int> RunAsync(ParseResult parse, Terminal terminal, PipelineFactory createPipeline, PipelineOptions options, int concurrency, string? jsonl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(terminal);
        var names = new ContainerNames(parse.GetValue(Container)!, parse.GetValue(Detections)!, parse.GetValue(Faces)!, parse.GetValue(Annotated)!, parse.GetValue(Anonymized)!);
        if (parse.GetValue(Connection) is not null && parse.GetValue(AccountUrl) is not null)
        {
            return terminal.Fail("give either --connection or --account-url, not both", ExitCodes.Usage);
        }

        if (names.Photos is var photos && (photos == names.Detections || photos == names.Faces || photos == names.Annotated || photos == names.Anonymized))
        {
            return terminal.Fail($"the results must go to other containers than the photos ('{photos}')", ExitCodes.Usage);
        }

        if (names.Annotated == names.Anonymized)
        {
            return terminal.Fail("annotated and anonymized copies need a container each", ExitCodes.Usage);
        }

        BlobServiceClient service;
        try
        {
            service = parse.GetValue(AccountUrl) is { } url
                ? new BlobServiceClient(url, new DefaultAzureCredential(), _clientOptions())
                : new BlobServiceClient(parse.GetValue(Connection), _clientOptions());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return terminal.Fail($"the storage connection is not usable: {e.Message}", ExitCodes.Usage);
        }

        using var pipeline = terminal.Start(createPipeline.Invoke, options);
        if (pipeline is null)
        {
            return ExitCodes.DetectorUnavailable;
        }

        var photosContainer = service.GetBlobContainerClient(names.Photos);
        var results = ResultContainers.Create(service, names);
        var store = new ResultStore(results, NullLogger<ResultStore>.Instance);
        using var processor = new PhotoProcessor(pipeline, store, concurrency, NullLogger<PhotoProcessor>.Instance);
        var scanner = new PhotoScanner(
            photosContainer,
            store,
            results,
            new OrphanPruner(photosContainer, results, NullLogger<OrphanPruner>.Instance),
            processor.Detector,
            NullLogger<PhotoScanner>.Instance);
        using var lines = jsonl is null ? null : JsonLinesWriter.Open(jsonl, terminal.Output);
        var run = new Run(processor, photosContainer, lines, terminal);
        var request = new ScanRequest(parse.GetValue(Prefix), parse.GetValue(Redetect), parse.GetValue(Prune));
        try
        {
            await ShowProgressAsync(terminal.Error, run, () => run.ExecuteAsync(scanner, request, concurrency, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            terminal.Warn($"stopped after {run.Done} photos; run the same command again to go on (finished photos are not redone)");
            return Interrupted;
        }
        catch (Exception e) when (e is AuthenticationFailedException or AggregateException || StorageFailure.Is(e, cancellationToken))
        {
            return terminal.Fail($"storage account '{service.AccountName}' failed: {StorageFailure.Describe(e)}", ExitCodes.Failed);
        }

        terminal.Error.MarkupLineInterpolated(
            $"{run.Listed} photos listed in {names.Photos}, {run.Scan.UpToDate} up to date, {run.Done} detected ({run.Faces} faces, {run.Errors} error documents, {run.Failures} failed), {run.Scan.Pruned} orphaned results pruned; {run.Rate:0} photos/min");
        return run.Failures > 0 && run.Failures == run.Done ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static async Task ShowProgressAsync(IAnsiConsole console, Run run, Func<Task> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            await work();
            return;
        }

        await console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new SpinnerColumn()).StartAsync(async ctx =>
        {
            var task = ctx.AddTask(run.Describe());
            var job = work();
            while (await Task.WhenAny(job, Task.Delay(250)) != job)
            {
                task.Description = run.Describe();
            }

            await job;
        });
    }

    /// <summary>One storage-mode run: the scan feeds a bounded channel, <c>concurrency</c> workers drain it.</summary>
    private sealed class Run(PhotoProcessor processor, BlobContainerClient photos, JsonLinesWriter? lines, Terminal terminal)
    {
        /// <summary>
        /// Attempts per photo, as many as the function app's blob trigger makes (host.json poisonBlobThreshold):
        /// storage failing for a photo after the client's own retries is tried again twice, then the photo is
        /// reported and left to the next run.
        /// </summary>
        private const int AttemptsPerPhoto = 3;

        /// <summary>Pause before a photo's next attempt, times the attempts so far: storage that throttles gets room.</summary>
        private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _warnings = new();
        private long _listed;
        private long _done;
        private long _faces;
        private long _errors;
        private long _failures;

        public ScanCounts Scan { get; private set; }

        public long Listed => Interlocked.Read(ref _listed);

        public long Done => Interlocked.Read(ref _done);

        public long Faces => Interlocked.Read(ref _faces);

        public long Errors => Interlocked.Read(ref _errors);

        public long Failures => Interlocked.Read(ref _failures);

        public double Rate => Done / Math.Max(_clock.Elapsed.TotalMinutes, 1e-9);

        public string Describe() => Markup.Escape(
            $"listed {Listed}, detected {Done}, faces {Faces}, errors {Errors + Failures}, {Rate:0} photos/min");

        public async Task ExecuteAsync(PhotoScanner scanner, ScanRequest request, int concurrency, CancellationToken cancellationToken)
        {
            // A worker that fails for good stops the scan too, instead of leaving it blocked on a full channel.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var queue = Channel.CreateBounded<string>(new BoundedChannelOptions(ChannelCapacity) { SingleWriter = true });
            var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await WorkAsync(queue.Reader, stop.Token);
                }
                catch
                {
                    await stop.CancelAsync();
                    throw;
                }
            })).ToArray();
            try
            {
                var step = await scanner.RunAsync(
                    request,
                    ScanCheckpoint.Start,
                    int.MaxValue,
                    async (names, ct) =>
                    {
                        foreach (var name in names)
                        {
                            await queue.Writer.WriteAsync(name, ct);
                        }
                    },
                    stop.Token,
                    page => Interlocked.Add(ref _listed, page.Listed));
                Scan = step.Counts;
            }
            finally
            {
                queue.Writer.TryComplete();
                await Task.WhenAll(workers);
            }
        }

        private async Task WorkAsync(ChannelReader<string> queue, CancellationToken cancellationToken)
        {
            await foreach (var name in queue.ReadAllAsync(cancellationToken))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        Count(await processor.ProcessAsync(photos.GetBlobClient(name), cancellationToken));
                        break;
                    }
                    catch (Exception e) when (StorageFailure.Is(e, cancellationToken))
                    {
                        if (attempt == AttemptsPerPhoto)
                        {
                            // Nothing half-written stays visible (the commit protocol); the next run retries it.
                            Interlocked.Increment(ref _failures);
                            Warn($"storage failed {attempt} times for '{name}' ({StorageFailure.Describe(e)}); the next run retries it");
                            break;
                        }

                        Warn($"storage failed for '{name}' ({StorageFailure.Describe(e)}); attempt {attempt + 1} of {AttemptsPerPhoto} follows");
                        await Task.Delay(RetryPause * attempt, cancellationToken);
                    }
                }

                Interlocked.Increment(ref _done);
            }
        }

        private void Count(PhotoReport report)
        {
            if (report.Document is { } document)
            {
                lines?.Write(document, DetectionDocumentJsonContext.Default.DetectionDocument);
                Interlocked.Add(ref _faces, document.Faces?.Count ?? 0);
                if (document.Error is not null)
                {
                    Interlocked.Increment(ref _errors);
                }
            }
        }

        /// <summary>Workers warn concurrently; the console writes one line at a time.</summary>
        private void Warn(string message)
        {
            lock (_warnings)
            {
                terminal.Warn(message);
            }
        }
    }
}
