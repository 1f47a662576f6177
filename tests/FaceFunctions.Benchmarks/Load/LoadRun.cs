using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using FaceFunctions.App.Configuration;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Results;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceFunctions.Benchmarks.Load;

/// <summary>What happened to one photo's invocation.</summary>
internal sealed record PhotoRun(LoadPhoto Photo, double LatencyMs, PhotoOutcome? Outcome, string? Failure);

/// <summary>
/// One load run: its own Azurite (stopped whatever happens), the photos uploaded from a folder, the app's own
/// service registrations built from the sample settings (as Program.cs builds them), and every photo through
/// <see cref="PhotoProcessor.ProcessAsync"/> with as many invocations in flight as the host's blob extension
/// allows. Blocks of photos are fed and drained one after the other, so the memory read after each block's full
/// garbage collection has no photo in flight: the first and last block compare like with like.
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadReport> RunAsync(
        LoadOptions options, IReadOnlyList<LoadPhoto> photos, string photoFolder, TextWriter output, CancellationToken cancellationToken)
    {
        using var azurite = new AzuriteServer(persistent: true);
        output.WriteLine($"azurite: pid {azurite.ProcessId}, blob port {azurite.Port}, data in {azurite.WorkFolder}");
        using var host = BuildHost(options, azurite);
        await host.StartAsync(cancellationToken);
        try
        {
            return await RunAsync(options, photos, photoFolder, host.Services, azurite, output, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The sample settings (local.settings.sample.json), pointed at this run's Azurite and options.</summary>
    private static Dictionary<string, string?> Settings(LoadOptions options, AzuriteServer azurite)
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("local.settings.sample.json")));
        var settings = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => (string?)p.Value.GetString());
        settings[SettingNames.PhotoStorageConnection] = azurite.ConnectionString;
        settings[SettingNames.MaxConcurrentDetections] = options.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[SettingNames.WriteAnnotated] = options.Previews ? "true" : "false";
        settings[SettingNames.WriteAnonymized] = options.Previews ? "true" : "false";
        settings[SettingNames.MemoryBudgetMegabytes] = options.BudgetMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    private static IHost BuildHost(LoadOptions options, AzuriteServer azurite)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // Azure passes settings as environment variables, "Section__Key"; configuration keys are "Section:Key".
        builder.Configuration.AddInMemoryCollection(
            Settings(options, azurite).Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)));
        builder.Services.AddLogging();
        builder.Services.AddFaceFunctions(builder.Configuration);
        return builder.Build();
    }

    private static async Task<LoadReport> RunAsync(
        LoadOptions options,
        IReadOnlyList<LoadPhoto> photos,
        string photoFolder,
        IServiceProvider services,
        AzuriteServer azurite,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        var app = services.GetRequiredService<IOptions<FaceFunctionsOptions>>().Value;
        var blobs = services.GetRequiredService<BlobServiceClient>();
        var containers = services.GetRequiredService<ResultContainers>();
        foreach (var container in new[] { blobs.GetBlobContainerClient(app.PhotosContainer), containers.Detections, containers.Faces, containers.Annotated, containers.Anonymized })
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        var photosContainer = blobs.GetBlobContainerClient(app.PhotosContainer);
        var etags = await UploadAsync(photosContainer, photos, photoFolder, options.Invocations, output, cancellationToken);

        // Resolving the processor creates the pipeline: the models are loaded, as in a warm worker.
        var processor = services.GetRequiredService<PhotoProcessor>();
        var baseline = Quiesce();
        bool peakReset = MemorySampler.ResetPeak();
        var nativeBaseline = NativeHeapReading.Take();
        output.WriteLine($"baseline (models loaded, after a full GC): RSS {Mb(baseline.Rss)}, managed heap {Mb(baseline.Heap)}; native heap in use {Mb(nativeBaseline.InUseBytes)}, free {Mb(nativeBaseline.FreeBytes)}, {nativeBaseline.Arenas} arenas, {nativeBaseline.Threads} threads");
        output.WriteLine($"feeding {photos.Count} photos, {options.Invocations} invocations in flight, MaxConcurrentDetections {app.MaxConcurrentDetections}, blocks of {options.BlockSize}");
        output.WriteLine(LoadReport.BlockHeader);

        string loadBefore = LoadAverage();
        using var self = Process.GetCurrentProcess();
        using var node = azurite.ProcessId is { } pid ? Process.GetProcessById(pid) : null;
        var cpuBefore = self.TotalProcessorTime;
        var azuriteCpuBefore = node?.TotalProcessorTime ?? TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var runs = new List<PhotoRun>(photos.Count);
        var blocks = new List<LoadBlock>();
        string? stoppedBy = null;
        using (var sampler = new MemorySampler(clock))
        {
            foreach (var block in photos.Chunk(options.BlockSize))
            {
                var start = clock.Elapsed;
                var blockRuns = new PhotoRun?[block.Length];
                try
                {
                    await Parallel.ForEachAsync(
                        Enumerable.Range(0, block.Length),
                        new ParallelOptions { MaxDegreeOfParallelism = options.Invocations, CancellationToken = cancellationToken },
                        async (i, token) => blockRuns[i] = await InvokeAsync(processor, photosContainer, block[i], options.KeepGoing, token));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    stoppedBy = $"{e.GetType().Name}: {e.Message}";
                }

                var end = clock.Elapsed;
                var done = blockRuns.OfType<PhotoRun>().ToArray();
                runs.AddRange(done);
                var after = Quiesce();
                var blockReport = LoadBlock.From(blocks.Count + 1, done, end - start, sampler.Between(start, end), after, NativeHeapReading.Take(), LoadAverage());
                blocks.Add(blockReport);
                output.WriteLine(blockReport.Line);
                if (stoppedBy is not null)
                {
                    output.WriteLine($"stopped: an invocation threw ({stoppedBy}); --keep-going would go on");
                    break;
                }
            }

            clock.Stop();
        }

        self.Refresh();
        node?.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var azuriteCpu = (node?.TotalProcessorTime ?? TimeSpan.Zero) - azuriteCpuBefore;
        var (_, peak) = MemorySampler.ReadStatus();
        var checks = await CheckResultsAsync(containers, photos, etags, cancellationToken);
        return new LoadReport(
            options,
            photos,
            runs,
            blocks,
            checks,
            baseline,
            peak,
            peakReset,
            clock.Elapsed,
            cpu,
            azuriteCpu,
            loadBefore,
            LoadAverage(),
            azurite.ProcessId);
    }

    private static async Task<PhotoRun> InvokeAsync(PhotoProcessor processor, BlobContainerClient photos, LoadPhoto photo, bool keepGoing, CancellationToken token)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var report = await processor.ProcessAsync(photos.GetBlobClient(photo.Name), token);
            return new PhotoRun(photo, watch.Elapsed.TotalMilliseconds, report.Outcome, null);
        }
        catch (Exception e) when (keepGoing && e is not OperationCanceledException)
        {
            return new PhotoRun(photo, watch.Elapsed.TotalMilliseconds, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static async Task<Dictionary<string, ETag>> UploadAsync(
        BlobContainerClient photos, IReadOnlyList<LoadPhoto> mix, string folder, int parallelism, TextWriter output, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        long bytes = 0;
        await Parallel.ForEachAsync(
            mix,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (photo, token) =>
            {
                await using var file = File.OpenRead(Path.Combine(folder, photo.Name));
                var uploaded = await photos.GetBlobClient(photo.Name).UploadAsync(file, overwrite: true, token);
                lock (etags)
                {
                    etags[photo.Name] = uploaded.Value.ETag;
                    bytes += file.Length;
                }
            });
        output.WriteLine($"uploaded {mix.Count} photos, {bytes / 1e6:N0} MB, in {watch.Elapsed.TotalSeconds:N0} s");
        return etags;
    }

    /// <summary>
    /// Every photo must have a committed document for the version uploaded: faces, or an error for the corrupt
    /// ones only (a photo in the mix that gets an error, or a corrupt one that does not, is unexpected).
    /// </summary>
    private static async Task<ResultChecks> CheckResultsAsync(
        ResultContainers containers, IReadOnlyList<LoadPhoto> photos, Dictionary<string, ETag> etags, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        var unexpected = new List<string>();
        int faces = 0, withFaces = 0, errors = 0;
        await Parallel.ForEachAsync(photos, cancellationToken, async (photo, token) =>
        {
            var document = await ReadDocumentAsync(containers.Detections.GetBlobClient(OutputNames.For(photo.Name).Document), token);
            lock (missing)
            {
                if (document is null || document.Source.ETag != etags[photo.Name].ToString() || (document.Faces is null && document.Error is null))
                {
                    missing.Add(photo.Name);
                    return;
                }

                if ((document.Error is not null) != photo.ExpectsError)
                {
                    unexpected.Add($"{photo.Name}: {document.Error?.Code ?? "no error"} ({document.Error?.Message ?? $"{document.Faces!.Count} faces"})");
                }

                errors += document.Error is null ? 0 : 1;
                faces += document.Faces?.Count ?? 0;
                withFaces += document.Faces is { Count: > 0 } ? 1 : 0;
            }
        });
        missing.Sort(StringComparer.Ordinal);
        unexpected.Sort(StringComparer.Ordinal);
        return new ResultChecks(missing, unexpected, faces, withFaces, errors);
    }

    private static async Task<DetectionDocument?> ReadDocumentAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
            return JsonSerializer.Deserialize(content.ToMemory().Span, DetectionDocumentJsonContext.Default.DetectionDocument);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A full, compacting collection (large objects too), then this process's resident set and managed heap.</summary>
    private static (long Rss, long Heap) Quiesce()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return (MemorySampler.ReadStatus().Rss, GC.GetTotalMemory(forceFullCollection: false));
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    internal static string Mb(long bytes) => $"{bytes / 1048576.0:N0} MB";
}

/// <summary>What the final check found in the detections container.</summary>
internal sealed record ResultChecks(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, int Faces, int PhotosWithFaces, int ErrorDocuments);
