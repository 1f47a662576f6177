using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FaceFunctions.App.Configuration;
using FaceFunctions.Storage.Results;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceFunctions.App.Tests.Storage;

/// <summary>Fresh containers on the shared Azurite for one test, and helpers to look at what was stored.</summary>
internal sealed class StorageScenario
{
    private StorageScenario(AzuriteServer server, FaceFunctionsOptions options)
    {
        Server = server;
        Options = options;
        Client = server.CreateClient();
        Photos = Client.GetBlobContainerClient(options.PhotosContainer);
        Containers = ResultContainers.Create(Client, options.ToContainerNames());
    }

    public AzuriteServer Server { get; }

    public FaceFunctionsOptions Options { get; }

    public BlobServiceClient Client { get; }

    public BlobContainerClient Photos { get; }

    public ResultContainers Containers { get; }

    public static async Task<StorageScenario> CreateAsync(AzuriteServer server)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var options = new FaceFunctionsOptions
        {
            PhotosContainer = $"photos-{id}",
            DetectionsContainer = $"detections-{id}",
            FacesContainer = $"faces-{id}",
            AnnotatedContainer = $"annotated-{id}",
            AnonymizedContainer = $"anonymized-{id}",
            MaxConcurrentDetections = 2,
        };
        var scenario = new StorageScenario(server, options);
        foreach (var container in new[] { options.PhotosContainer, options.DetectionsContainer, options.FacesContainer, options.AnnotatedContainer, options.AnonymizedContainer })
        {
            await scenario.Client.GetBlobContainerClient(container).CreateIfNotExistsAsync();
        }

        return scenario;
    }

    /// <summary>A store writing through <paramref name="client"/> (for instance one that injects faults).</summary>
    public ResultStore Store(BlobServiceClient? client = null) =>
        new(ResultContainers.Create(client ?? Client, Options.ToContainerNames()), NullLogger<ResultStore>.Instance);

    public async Task<PhotoVersion> UploadPhotoAsync(string name, byte[] bytes)
    {
        var blob = Photos.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
        var properties = (await blob.GetPropertiesAsync()).Value;
        return new PhotoVersion(Photos.Name, name, properties.ETag, properties.ContentLength, Convert.ToBase64String(properties.ContentHash));
    }

    public Func<CancellationToken, Task<ETag?>> CurrentETag(string name) => async ct =>
    {
        try
        {
            return (await Photos.GetBlobClient(name).GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    };

    /// <summary>Every blob in the output containers with its ETag: equal snapshots mean nothing was written.</summary>
    public async Task<SortedDictionary<string, string>> SnapshotAsync()
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var container in new[] { Containers.Detections, Containers.Faces, Containers.Annotated, Containers.Anonymized })
        {
            await foreach (var blob in container.GetBlobsAsync())
            {
                all[$"{container.Name}/{blob.Name}"] = blob.Properties.ETag.ToString()!;
            }
        }

        return all;
    }

    public async Task<List<string>> CropsAsync(OutputNames names)
    {
        var crops = new List<string>();
        await foreach (var item in Containers.Faces.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Prefix = names.CropFolder, Delimiter = "/" }))
        {
            if (item.IsBlob)
            {
                crops.Add(item.Blob.Name);
            }
        }

        return crops;
    }

    public async Task<Detection.Documents.DetectionDocument?> DocumentAsync(OutputNames names)
    {
        var blob = Containers.Detections.GetBlobClient(names.Document);
        if (!await blob.ExistsAsync())
        {
            return null;
        }

        var content = (await blob.DownloadContentAsync()).Value.Content;
        return System.Text.Json.JsonSerializer.Deserialize(content.ToMemory().Span, Detection.Documents.DetectionDocumentJsonContext.Default.DetectionDocument);
    }
}
