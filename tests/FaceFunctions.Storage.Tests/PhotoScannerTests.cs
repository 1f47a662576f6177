using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using FaceFunctions.Storage.Results;
using FaceFunctions.Storage.Scanning;
using FaceFunctions.Tests.Shared.Azurite;

namespace FaceFunctions.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class PhotoScannerTests(AzuriteFixture azurite, Pipelines pipelines) : IClassFixture<Pipelines>
{
    [Fact]
    public async Task A_scan_enqueues_exactly_the_photos_that_need_work_and_a_second_scan_nothing()
    {
        var scenario = await ScanScenario.ArchiveAsync(azurite.Server, pipelines);
        var scanner = scenario.Scanner(pipelines.Current);

        var (plain, plainStep) = await ScanAsync(scanner, new ScanRequest());
        var (redetect, redetectStep) = await ScanAsync(scanner, new ScanRequest(Redetect: true));

        Assert.Equal(scenario.NeedingWork(redetect: false).Order(StringComparer.Ordinal), plain.Order(StringComparer.Ordinal));
        Assert.Equal(scenario.NeedingWork(redetect: true).Order(StringComparer.Ordinal), redetect.Order(StringComparer.Ordinal));
        Assert.Equal(new ScanCounts(1, 200, 200 - plain.Count, plain.Count, 0), plainStep.Counts);
        Assert.Equal(200 - redetect.Count, redetectStep.Counts.UpToDate);
        Assert.Null(plainStep.Next);

        // Detect what the redetect scan asked for: afterwards nothing needs work, with or without redetect.
        using var processor = scenario.Processor(pipelines.Current);
        foreach (var name in redetect)
        {
            await processor.ProcessAsync(scenario.Photos.GetBlobClient(name), default);
        }

        var before = await scenario.SnapshotAsync();
        Assert.Empty((await ScanAsync(scanner, new ScanRequest(Redetect: true))).Enqueued);
        Assert.Empty((await ScanAsync(scanner, new ScanRequest())).Enqueued);
        Assert.Equal(before, await scenario.SnapshotAsync());
    }

    [Fact]
    public async Task A_scan_under_a_prefix_sees_only_those_photos()
    {
        var scenario = await ScanScenario.ArchiveAsync(azurite.Server, pipelines, orphans: 2);

        var (enqueued, step) = await ScanAsync(scenario.Scanner(pipelines.Current), new ScanRequest(Prefix: "~raw/", Redetect: true));

        Assert.Equal(2, step.Counts.Listed);
        Assert.Equal(scenario.NeedingWork(redetect: true).Where(n => n.StartsWith("~raw/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), enqueued.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Prune_removes_exactly_the_results_of_photos_that_no_longer_exist()
    {
        var scenario = await ScanScenario.ArchiveAsync(azurite.Server, pipelines);
        var before = await scenario.SnapshotAsync();
        var orphanBlobs = before.Keys.Where(key => scenario.Orphans.Any(orphan => BelongsTo(scenario, key, orphan))).ToHashSet();
        Assert.Contains(orphanBlobs, key => key.StartsWith($"{scenario.Names.Faces}/gone/astronaut.png/", StringComparison.Ordinal));

        var (_, step) = await ScanAsync(scenario.Scanner(pipelines.Current), new ScanRequest(Prune: true));

        Assert.Equal(scenario.Orphans.Count, step.Counts.Pruned);
        var expected = before.Where(blob => !orphanBlobs.Contains(blob.Key));
        Assert.Equal(expected, await scenario.SnapshotAsync());
    }

    [Fact]
    public async Task Prune_leaves_the_results_of_a_photo_that_came_back_after_the_listing()
    {
        var scenario = await ScanScenario.EmptyAsync(azurite.Server);
        using var processor = scenario.Processor(pipelines.Current);
        var photo = scenario.Photos.GetBlobClient("back.png");
        await photo.UploadAsync(BinaryData.FromBytes(Pipelines.SmallPhoto(1)));
        await processor.ProcessAsync(photo, default);
        var listed = await scenario.Store().ReadCommittedAsync(OutputNames.For("back.png"), default);
        var before = await scenario.SnapshotAsync();

        // The listing saw no photo; at delete time it exists again.
        var pruner = new OrphanPruner(scenario.Photos, scenario.Results, Microsoft.Extensions.Logging.Abstractions.NullLogger<OrphanPruner>.Instance);
        Assert.False(await pruner.PruneAsync("back.png", listed, default));
        Assert.Equal(before, await scenario.SnapshotAsync());

        // Gone, then back and processed anew before the delete: the listed document is no longer the stored one.
        await photo.DeleteAsync();
        await photo.UploadAsync(BinaryData.FromBytes(Pipelines.SmallPhoto(2)));
        await processor.ProcessAsync(photo, default);
        await photo.DeleteAsync();
        var after = await scenario.SnapshotAsync();
        Assert.False(await pruner.PruneAsync("back.png", listed, default));
        Assert.Equal(after, await scenario.SnapshotAsync());
    }

    [Fact]
    public async Task A_scan_that_finds_1000_photos_up_to_date_makes_fewer_than_50_requests()
    {
        var scenario = await ScanScenario.EmptyAsync(azurite.Server);
        var store = scenario.Store();
        var photo = Pipelines.SmallPhoto(0);
        var result = await pipelines.Current.ProcessAsync(new MemoryStream(photo), "template.png");
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var name = $"{i % 10}/IMG_{i:D5}.png";
            var blob = scenario.Photos.GetBlobClient(name);
            var info = (await blob.UploadAsync(BinaryData.FromBytes(photo), ct)).Value;
            var version = new PhotoVersion(scenario.Photos.Name, name, info.ETag, photo.Length, null);
            await store.CommitAsync(version, OutputNames.For(name), result, CommittedResult.None, _ => Task.FromResult<ETag?>(info.ETag), ct);
        });
        var counter = new RequestCounter();

        var (enqueued, step) = await ScanAsync(scenario.Scanner(pipelines.Current, azurite.Server.CreateClient(counter)), new ScanRequest(Redetect: true, Prune: true));

        Assert.Empty(enqueued);
        Assert.Equal(1000, step.Counts.UpToDate);
        Assert.InRange(counter.Count, 1, 49);
    }

    [Fact]
    public async Task A_scan_stopped_after_some_pages_resumes_from_its_checkpoint_and_loses_no_photo()
    {
        var scenario = await ScanScenario.ArchiveAsync(azurite.Server, pipelines);
        var scanner = scenario.Scanner(pipelines.Current, pageSize: 16);
        var request = new ScanRequest(Redetect: true, Prune: true);
        var enqueued = new ConcurrentBag<string>();
        var checkpoint = ScanCheckpoint.Start;
        var total = default(ScanCounts);
        var steps = 0;
        var crashed = false;
        while (true)
        {
            steps++;
            var pagesEnqueued = 0;
            try
            {
                var step = await scanner.RunAsync(request, checkpoint, maxPages: 3, (names, _) =>
                {
                    foreach (var name in names)
                    {
                        enqueued.Add(name);
                    }

                    // The third step dies after its second page, before its checkpoint is saved.
                    if (steps == 3 && ++pagesEnqueued == 2 && !crashed)
                    {
                        crashed = true;
                        throw new OperationCanceledException("the invocation ended early");
                    }

                    return Task.CompletedTask;
                }, default);
                total += step.Counts;
                if (step.Next is null)
                {
                    break;
                }

                // The checkpoint travels in a queue message.
                checkpoint = JsonSerializer.Deserialize<ScanCheckpoint>(JsonSerializer.Serialize(step.Next))!;
            }
            catch (OperationCanceledException)
            {
                // The queue message is delivered again: the step runs from the same checkpoint.
            }
        }

        Assert.True(crashed);
        Assert.Equal(scenario.NeedingWork(redetect: true).Order(StringComparer.Ordinal), enqueued.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(200, total.Listed);
        Assert.Equal(scenario.NeedingWork(redetect: true).Count, total.Enqueued);
        // Prunes of the step that died are done but not counted: what matters is that no orphan is left.
        foreach (var orphan in scenario.Orphans)
        {
            Assert.False(await scenario.Results.Detections.GetBlobClient(OutputNames.For(orphan).Document).ExistsAsync());
        }

        Assert.True(total.Pages >= 13, $"200 photos in pages of 16 take 13 pages, counted {total.Pages}");
    }

    [Fact]
    public async Task Prune_removes_orphans_with_hashed_names_also_from_documents_older_than_the_recorded_photo_name()
    {
        var scenario = await ScanScenario.EmptyAsync(azurite.Server);
        using var processor = scenario.Processor(pipelines.Current);
        string[] kept = ["~raw/kept.png", "trip./kept.png", "plain/kept.png"];
        string[] gone = ["~raw/gone.png", "trip./gone.png", "~old/gone.png", "~raw/astronaut.png"];
        var seed = 0;
        foreach (var name in kept.Concat(gone))
        {
            var photo = scenario.Photos.GetBlobClient(name);
            await photo.UploadAsync(BinaryData.FromBytes(name == "~raw/astronaut.png" ? Pipelines.Astronaut() : Pipelines.SmallPhoto(++seed)));
            await processor.ProcessAsync(photo, default);
        }

        // A document written before documents recorded their photo's name.
        var old = scenario.Results.Detections.GetBlobClient(OutputNames.For("~old/gone.png").Document);
        var metadata = (await old.GetPropertiesAsync()).Value.Metadata;
        Assert.True(metadata.Remove(CommittedResult.PhotoNameKey));
        await old.SetMetadataAsync(metadata);
        foreach (var name in gone)
        {
            await scenario.Photos.GetBlobClient(name).DeleteAsync();
        }

        var before = await scenario.SnapshotAsync();
        var orphanBlobs = before.Keys.Where(key => gone.Any(orphan => BelongsTo(scenario, key, orphan))).ToHashSet();
        Assert.Contains(orphanBlobs, key => key.StartsWith($"{scenario.Names.Faces}/{OutputNames.For("~raw/astronaut.png").CropFolder}", StringComparison.Ordinal));

        // Pages of one blob and steps of one page: the hashed documents' listing goes on over several steps.
        var (_, total, steps) = await ScanInStepsAsync(scenario.Scanner(pipelines.Current, pageSize: 1), new ScanRequest(Prune: true), maxPages: 1);

        Assert.Equal(gone.Length, total.Pruned);
        Assert.True(steps > kept.Length + 1, $"expected the hashed documents' listing to span steps, took {steps}");
        Assert.Equal(before.Where(blob => !orphanBlobs.Contains(blob.Key)), await scenario.SnapshotAsync());

        // A scan under a prefix prunes only orphans under it.
        await scenario.Photos.GetBlobClient("~raw/kept.png").DeleteAsync();
        await scenario.Photos.GetBlobClient("trip./kept.png").DeleteAsync();
        var (_, prefixed, _) = await ScanInStepsAsync(scenario.Scanner(pipelines.Current), new ScanRequest(Prefix: "~raw/", Prune: true), maxPages: 10);
        Assert.Equal(1, prefixed.Pruned);
        Assert.False(await scenario.Results.Detections.GetBlobClient(OutputNames.For("~raw/kept.png").Document).ExistsAsync());
        Assert.True(await scenario.Results.Detections.GetBlobClient(OutputNames.For("trip./kept.png").Document).ExistsAsync());
    }

    [Fact]
    public async Task An_orphan_whose_document_lists_after_the_step_that_passed_its_photo_name_is_pruned_by_the_same_scan()
    {
        // Photo order: "img.png" < "img.png-1.png" < "img.png-2.png" < "z.png"; document order puts "img.png.json"
        // after "img.png-2.png.json". In pages of two, the first step decides "img.png-1.png" and "img.png-2.png"
        // and reads the documents through "img.png-2.png.json": the orphan "img.png", whose name it has passed,
        // lists only in the next step's page of documents.
        var scenario = await ScanScenario.EmptyAsync(azurite.Server);
        using var processor = scenario.Processor(pipelines.Current);
        var seed = 0;
        foreach (var name in new[] { "img.png", "img.png-1.png", "img.png-2.png", "z.png" })
        {
            var photo = scenario.Photos.GetBlobClient(name);
            await photo.UploadAsync(BinaryData.FromBytes(Pipelines.SmallPhoto(++seed)));
            await processor.ProcessAsync(photo, default);
        }

        await scenario.Photos.GetBlobClient("img.png").DeleteAsync();
        var before = await scenario.SnapshotAsync();

        var (enqueued, total, steps) = await ScanInStepsAsync(scenario.Scanner(pipelines.Current, pageSize: 2), new ScanRequest(Prune: true), maxPages: 1);

        Assert.Equal(2, steps);
        Assert.Empty(enqueued);
        Assert.Equal(new ScanCounts(2, 3, 3, 0, 1), total);
        Assert.Equal(before.Where(blob => !BelongsTo(scenario, blob.Key, "img.png")), await scenario.SnapshotAsync());
    }

    /// <summary>A whole scan in steps of <paramref name="maxPages"/> pages, each checkpoint passed on as JSON (as the scan record keeps it).</summary>
    private static async Task<(List<string> Enqueued, ScanCounts Total, int Steps)> ScanInStepsAsync(PhotoScanner scanner, ScanRequest request, int maxPages)
    {
        var enqueued = new List<string>();
        var total = default(ScanCounts);
        var checkpoint = ScanCheckpoint.Start;
        for (var steps = 1; ; steps++)
        {
            var step = await scanner.RunAsync(request, checkpoint, maxPages, (names, _) =>
            {
                enqueued.AddRange(names);
                return Task.CompletedTask;
            }, default);
            total += step.Counts;
            if (step.Next is null)
            {
                return (enqueued, total, steps);
            }

            checkpoint = JsonSerializer.Deserialize<ScanCheckpoint>(JsonSerializer.Serialize(step.Next))!;
        }
    }

    private static bool BelongsTo(ScanScenario scenario, string key, string photo)
    {
        var names = OutputNames.For(photo);
        return key == $"{scenario.Names.Detections}/{names.Document}"
            || key == $"{scenario.Names.Annotated}/{names.Annotated}"
            || key == $"{scenario.Names.Anonymized}/{names.Anonymized}"
            || (key.StartsWith($"{scenario.Names.Faces}/{names.CropFolder}", StringComparison.Ordinal) && !key[(scenario.Names.Faces.Length + 1 + names.CropFolder.Length)..].Contains('/', StringComparison.Ordinal));
    }

    private static async Task<(List<string> Enqueued, ScanStep Step)> ScanAsync(PhotoScanner scanner, ScanRequest request)
    {
        var enqueued = new List<string>();
        var step = await scanner.RunAsync(request, ScanCheckpoint.Start, int.MaxValue, (names, _) =>
        {
            enqueued.AddRange(names);
            return Task.CompletedTask;
        }, default);
        return (enqueued, step);
    }
}
