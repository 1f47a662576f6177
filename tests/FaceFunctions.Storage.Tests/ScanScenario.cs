using System.Security.Cryptography;
using Azure.Storage.Blobs;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Results;
using FaceFunctions.Storage.Scanning;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceFunctions.Storage.Tests;

/// <summary>What a photo's stored results are before a scan.</summary>
public enum PhotoState
{
    /// <summary>Results of this version by the current detector.</summary>
    Current,

    /// <summary>An error document (the photo cannot be decoded): current under any detector.</summary>
    Corrupt,

    /// <summary>Results of this version by another detector configuration.</summary>
    OtherDetector,

    /// <summary>Results of an older version of the photo.</summary>
    Outdated,

    /// <summary>No results.</summary>
    Missing,
}

/// <summary>
/// An archive on the shared Azurite, in fresh containers: photos in every <see cref="PhotoState"/>, with names
/// that put documents out of photo order ("x.png (copy).png.json" lists before "x.png.json") and names whose
/// outputs are hashed, plus orphaned results (their photo deleted). Results are written by the real processor
/// with the real pipelines.
/// </summary>
internal sealed class ScanScenario
{
    private ScanScenario(BlobServiceClient client, ContainerNames names)
    {
        Client = client;
        Names = names;
        Photos = client.GetBlobContainerClient(names.Photos);
        Results = ResultContainers.Create(client, names);
    }

    public BlobServiceClient Client { get; }

    public ContainerNames Names { get; }

    public BlobContainerClient Photos { get; }

    public ResultContainers Results { get; }

    public Dictionary<string, PhotoState> States { get; } = new(StringComparer.Ordinal);

    public List<string> Orphans { get; } = [];

    /// <summary>The photos a scan must enqueue.</summary>
    public IReadOnlySet<string> NeedingWork(bool redetect) => States
        .Where(p => p.Value is PhotoState.Outdated or PhotoState.Missing || (redetect && p.Value == PhotoState.OtherDetector))
        .Select(p => p.Key)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Fresh containers and nothing in them.</summary>
    public static async Task<ScanScenario> EmptyAsync(AzuriteServer server)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var names = new ContainerNames($"photos-{id}", $"detections-{id}", $"faces-{id}", $"annotated-{id}", $"anonymized-{id}");
        var scenario = new ScanScenario(server.CreateClient(), names);
        await scenario.Photos.CreateIfNotExistsAsync();
        return scenario;
    }

    /// <summary>200 photos (see the class summary) and <paramref name="orphans"/> orphaned results, one with face crops.</summary>
    public static async Task<ScanScenario> ArchiveAsync(AzuriteServer server, Pipelines pipelines, int orphans = 10)
    {
        var scenario = await EmptyAsync(server);
        var names = new List<string>();
        names.AddRange(Enumerable.Range(0, 180).Select(i => $"album/IMG_{i:D4}.png"));
        names.AddRange(Enumerable.Range(0, 10).Select(i => $"album/IMG_{i * 18:D4}.png (copy).png"));
        names.AddRange(Enumerable.Range(0, 8).Select(i => $"album/IMG_{i * 18:D4}.png-{i}.png"));
        names.AddRange(["~raw/0001.png", "~raw/0002.png"]);
        for (var i = 0; i < names.Count; i++)
        {
            scenario.States[names[i]] = (i % 20) switch
            {
                0 => PhotoState.Corrupt,
                < 8 => PhotoState.Current,
                < 11 => PhotoState.OtherDetector,
                < 13 => PhotoState.Outdated,
                _ => PhotoState.Missing,
            };
        }

        scenario.Orphans.Add("gone/astronaut.png");
        scenario.Orphans.AddRange(Enumerable.Range(1, orphans - 1).Select(i => i % 2 == 0 ? $"album/IMG_{i:D4}.png (old).png" : $"gone/{i:D4}.png"));

        using var current = scenario.Processor(pipelines.Current);
        using var other = scenario.Processor(pipelines.Other);
        var seed = 0;
        var work = scenario.States.Select(p => (p.Key, p.Value, Seed: ++seed)).ToList();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (photo, ct) =>
        {
            var bytes = photo.Value == PhotoState.Corrupt ? "this is not a photo"u8.ToArray() : Pipelines.SmallPhoto(photo.Seed);
            var blob = scenario.Photos.GetBlobClient(photo.Key);
            await blob.UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, ct);
            switch (photo.Value)
            {
                case PhotoState.Current or PhotoState.Corrupt:
                    await current.ProcessAsync(blob, ct);
                    break;
                case PhotoState.OtherDetector:
                    await other.ProcessAsync(blob, ct);
                    break;
                case PhotoState.Outdated:
                    await current.ProcessAsync(blob, ct);
                    await blob.UploadAsync(BinaryData.FromBytes(Pipelines.SmallPhoto(-photo.Seed)), overwrite: true, ct);
                    break;
            }
        });

        foreach (var orphan in scenario.Orphans)
        {
            var blob = scenario.Photos.GetBlobClient(orphan);
            await blob.UploadAsync(BinaryData.FromBytes(orphan == "gone/astronaut.png" ? Pipelines.Astronaut() : Pipelines.SmallPhoto(orphan.Length)), overwrite: true);
            await current.ProcessAsync(blob, default);
            await blob.DeleteAsync();
        }

        return scenario;
    }

    public PhotoProcessor Processor(IPhotoPipeline pipeline, BlobServiceClient? client = null) =>
        new(pipeline, Store(client), maxConcurrentDetections: 2, NullLogger<PhotoProcessor>.Instance);

    public ResultStore Store(BlobServiceClient? client = null) =>
        new(ResultContainers.Create(client ?? Client, Names), NullLogger<ResultStore>.Instance);

    public PhotoScanner Scanner(IPhotoPipeline pipeline, BlobServiceClient? client = null, int pageSize = PhotoScanner.MaxPageSize)
    {
        client ??= Client;
        var photos = client.GetBlobContainerClient(Names.Photos);
        var results = ResultContainers.Create(client, Names);
        return new PhotoScanner(
            photos,
            Store(client),
            results,
            new OrphanPruner(photos, results, NullLogger<OrphanPruner>.Instance),
            DetectorIdentity.Of(pipeline.Detector),
            NullLogger<PhotoScanner>.Instance,
            pageSize);
    }

    /// <summary>Every blob name (with its ETag) in the result containers.</summary>
    public async Task<SortedDictionary<string, string>> SnapshotAsync()
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var container in new[] { Results.Detections, Results.Faces, Results.Annotated, Results.Anonymized })
        {
            if (!await container.ExistsAsync())
            {
                continue;
            }

            await foreach (var blob in container.GetBlobsAsync())
            {
                snapshot[$"{container.Name}/{blob.Name}"] = blob.Properties.ETag.ToString()!;
            }
        }

        return snapshot;
    }
}
