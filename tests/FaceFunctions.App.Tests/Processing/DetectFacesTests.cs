using System.Globalization;
using Azure.Core;
using Azure.Storage.Blobs;
using FaceFunctions.App.Functions;
using FaceFunctions.App.Tests.Storage;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Results;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using SixLabors.ImageSharp;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>
/// The function class called directly, as the worker would, with a real <see cref="BlobClient"/> on a real
/// Azurite, the real pipeline and real photos.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DetectFacesTests(AzuriteFixture azurite, PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task An_upload_gets_its_document_one_aligned_crop_per_face_and_both_copies()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var photo = await scenario.UploadPhotoAsync("astronaut.png", Fixtures.Bytes(Fixtures.Astronaut));

        await RunAsync(scenario, photo.Name);

        var names = OutputNames.For(photo.Name);
        var document = await scenario.DocumentAsync(names);
        Assert.NotNull(document);
        Assert.Null(document.Error);
        Assert.Equal("astronaut.png", document.Source.Name);
        Assert.Equal(scenario.Photos.Name, document.Source.Container);
        Assert.Equal(photo.ETag.ToString(), document.Source.ETag);
        Assert.Equal(photo.Size, document.Source.Size);
        Assert.Equal(photo.ContentMd5, document.Source.ContentMd5);
        Assert.Equal((512, 512), (document.Source.Width, document.Source.Height));
        Assert.Equal(pipeline.Pipeline.Detector.Models, document.Detector!.Models);
        var face = Assert.Single(document.Faces!);
        Assert.InRange(face.Score, 0.9f, 1f);

        var crop = scenario.Containers.Faces.GetBlobClient(face.Crop![(scenario.Options.FacesContainer!.Length + 1)..]);
        var properties = (await crop.GetPropertiesAsync()).Value;
        Assert.Equal("image/jpeg", properties.ContentType);
        Assert.Equal(face.Score.ToString("R", CultureInfo.InvariantCulture), properties.Metadata["score"]);
        Assert.Equal(string.Join(',', face.Box.Select(v => v.ToString("R", CultureInfo.InvariantCulture))), properties.Metadata["box"]);
        var cropImage = Image.Identify((await crop.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal((112, 112), (cropImage.Width, cropImage.Height));

        foreach (var copy in new[] { scenario.Containers.Annotated.GetBlobClient(names.Annotated), scenario.Containers.Anonymized.GetBlobClient(names.Anonymized) })
        {
            var image = Image.Identify((await copy.DownloadContentAsync()).Value.Content.ToArray());
            Assert.Equal((512, 512), (image.Width, image.Height));
        }
    }

    [Fact]
    public async Task The_same_event_twice_writes_nothing_the_second_time()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var photo = await scenario.UploadPhotoAsync("twice.png", PipelineFixture.Group(2));
        await RunAsync(scenario, photo.Name);
        var first = await scenario.SnapshotAsync();

        var outcome = await ProcessAsync(scenario, photo.Name);

        Assert.Equal(PhotoOutcome.AlreadyDone, outcome);
        Assert.Equal(first, await scenario.SnapshotAsync());
        Assert.True(first.Count >= 5, "document, two crops and both copies");
    }

    [Fact]
    public async Task A_reupload_with_fewer_faces_leaves_exactly_the_new_crops()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var names = OutputNames.For("team.png");
        await scenario.UploadPhotoAsync("team.png", PipelineFixture.Group(3));
        await RunAsync(scenario, "team.png");
        var before = (await scenario.DocumentAsync(names))!.Faces!.Count;

        var second = await scenario.UploadPhotoAsync("team.png", PipelineFixture.Group(1));
        await RunAsync(scenario, "team.png");

        var document = await scenario.DocumentAsync(names);
        Assert.Equal(3, before);
        Assert.Equal(second.ETag.ToString(), document!.Source.ETag);
        var crops = await scenario.CropsAsync(names);
        Assert.Equal(document.Faces!.Count, crops.Count);
        Assert.Single(crops);
        Assert.Equal(document.Faces.Select(f => f.Crop![(scenario.Options.FacesContainer!.Length + 1)..]), crops);
    }

    [Fact]
    public async Task A_corrupt_photo_gets_an_error_document_and_no_exception()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var truncated = Fixtures.Bytes(Fixtures.Astronaut)[..4000];
        await scenario.UploadPhotoAsync("broken.png", truncated);

        var outcome = await ProcessAsync(scenario, "broken.png");

        Assert.Equal(PhotoOutcome.Processed, outcome);
        var document = await scenario.DocumentAsync(OutputNames.For("broken.png"));
        Assert.NotNull(document!.Error);
        Assert.Equal("Corrupt", document.Error.Code);
        Assert.Equal(truncated.Length, document.Source.Size);
        Assert.Single(await scenario.SnapshotAsync());
    }

    [Fact]
    public async Task A_photo_without_faces_gets_an_empty_document()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        await scenario.UploadPhotoAsync("coffee.png", Fixtures.Bytes(Fixtures.Coffee));

        await RunAsync(scenario, "coffee.png");

        var document = await scenario.DocumentAsync(OutputNames.For("coffee.png"));
        Assert.Null(document!.Error);
        Assert.Empty(document.Faces!);
    }

    public static TheoryData<string> UnusualNames() =>
    [
        "my photos/été 🎉/astronaut 1.png",
        // 1,019 characters in 60 folders: too long to keep, so its outputs use the hashed stem.
        string.Join('/', Enumerable.Repeat("dossier été", 60)) + "/" + new string('x', 300) + ".png",
    ];

    [Theory]
    [MemberData(nameof(UnusualNames))]
    public async Task Names_with_spaces_unicode_and_slashes_get_valid_outputs(string photoName)
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var photo = await scenario.UploadPhotoAsync(photoName, Fixtures.Bytes(Fixtures.Astronaut));

        await RunAsync(scenario, photoName);

        var names = OutputNames.For(photoName);
        var document = await scenario.DocumentAsync(names);
        Assert.Equal(photoName, document!.Source.Name);
        Assert.Single(document.Faces!);
        await ResultStoreTests.AssertDocumentHasAllItsCropsAsync(scenario, names, photo.ETag);
        var stored = await scenario.SnapshotAsync();
        Assert.Equal(4, stored.Count);
        Assert.All(stored.Keys, name => Assert.InRange(name.Length - name.IndexOf('/', StringComparison.Ordinal) - 1, 1, OutputNames.MaxBlobNameLength));
        Assert.Equal(photoName.Length > 1000, names.IsHashed);
    }

    [Fact]
    public async Task An_event_for_an_overwritten_photo_describes_the_current_version()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        await scenario.UploadPhotoAsync("changing.png", PipelineFixture.Group(2));
        var current = await scenario.UploadPhotoAsync("changing.png", Fixtures.Bytes(Fixtures.Astronaut));

        // The event for the first upload arrives after the second upload.
        await RunAsync(scenario, "changing.png");

        var document = await scenario.DocumentAsync(OutputNames.For("changing.png"));
        Assert.Equal(current.ETag.ToString(), document!.Source.ETag);
        Assert.Single(document.Faces!);
    }

    [Fact]
    public async Task A_photo_overwritten_while_it_is_read_is_left_to_the_newer_event()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        await scenario.UploadPhotoAsync("overwritten.png", PipelineFixture.Group(2));
        var overwrite = new FaultInjectionPolicy(
            m => m.Request.Method == RequestMethod.Get && m.Request.Uri.Path.EndsWith("/overwritten.png", StringComparison.Ordinal),
            allowed: 0,
            onTrip: () => scenario.Photos.GetBlobClient("overwritten.png").Upload(BinaryData.FromBytes(Fixtures.Bytes(Fixtures.Astronaut)), overwrite: true),
            failAfterTrip: false);
        var photo = azurite.Server.CreateClient(overwrite).GetBlobContainerClient(scenario.Options.PhotosContainer).GetBlobClient("overwritten.png");
        using var processor = new PhotoProcessor(pipeline.Pipeline, scenario.Store(), scenario.Options.MaxConcurrentDetections, NullLogger<PhotoProcessor>.Instance);

        var outcome = (await processor.ProcessAsync(photo, default)).Outcome;

        Assert.True(overwrite.Tripped);
        Assert.Equal(PhotoOutcome.Superseded, outcome);
        Assert.Empty(await scenario.SnapshotAsync());
    }

    [Fact]
    public async Task A_deleted_photo_is_logged_and_skipped()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);

        Assert.Equal(PhotoOutcome.Deleted, await ProcessAsync(scenario, "gone.png"));
        Assert.Empty(await scenario.SnapshotAsync());
    }

    [Fact]
    public async Task A_failing_photo_read_throws_so_the_host_retries_and_writes_nothing()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        await scenario.UploadPhotoAsync("unreadable.png", Fixtures.Bytes(Fixtures.Astronaut));
        var reads = new FaultInjectionPolicy(m => m.Request.Method == RequestMethod.Get && m.Request.Uri.Path.Contains($"/{scenario.Options.PhotosContainer}/", StringComparison.Ordinal), allowed: 0);
        var photo = azurite.Server.CreateClient(reads).GetBlobContainerClient(scenario.Options.PhotosContainer).GetBlobClient("unreadable.png");

        await Assert.ThrowsAnyAsync<Exception>(() => Function(scenario).Run(photo, default));

        Assert.Empty(await scenario.SnapshotAsync());
    }

    [Fact]
    public async Task Storage_failing_mid_write_throws_and_no_document_appears_without_its_crops()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        await scenario.UploadPhotoAsync("crowd.png", PipelineFixture.Group(3));
        var writes = new FaultInjectionPolicy(m => m.Request.Method == RequestMethod.Put && m.Request.Uri.Path.Contains($"/{scenario.Options.FacesContainer}/", StringComparison.Ordinal), allowed: 1);

        await Assert.ThrowsAnyAsync<Exception>(() => Function(scenario, azurite.Server.CreateClient(writes)).Run(PhotoClient(scenario, "crowd.png"), default));

        var names = OutputNames.For("crowd.png");
        Assert.True(writes.Tripped);
        Assert.Null(await scenario.DocumentAsync(names));

        // The host's retry completes the result.
        await RunAsync(scenario, "crowd.png");
        Assert.Equal(3, (await scenario.DocumentAsync(names))!.Faces!.Count);
        Assert.Equal(3, (await scenario.CropsAsync(names)).Count);
    }

    [Fact]
    public async Task Azurite_stopped_mid_write_makes_the_function_throw_and_leaves_no_document_without_its_crops()
    {
        using var server = new AzuriteServer(persistent: true);
        var scenario = await StorageScenario.CreateAsync(server);
        var names = OutputNames.For("evening.png");
        var first = await scenario.UploadPhotoAsync("evening.png", PipelineFixture.Group(2));
        await RunAsync(scenario, "evening.png");
        await scenario.UploadPhotoAsync("evening.png", PipelineFixture.Group(3));

        // After the first crop of the new version is stored, the emulator really stops: the next writes meet a
        // closed port.
        var stopper = new FaultInjectionPolicy(
            m => m.Request.Method == RequestMethod.Put && m.Request.Uri.Path.Contains($"/{scenario.Options.FacesContainer}/", StringComparison.Ordinal),
            allowed: 1,
            onTrip: server.Stop,
            failAfterTrip: false);
        await Assert.ThrowsAnyAsync<Exception>(() => Function(scenario, server.CreateClient(stopper)).Run(PhotoClient(scenario, "evening.png"), default));
        Assert.True(stopper.Tripped);
        Assert.False(server.IsRunning);

        server.Start();
        await ResultStoreTests.AssertDocumentHasAllItsCropsAsync(scenario, names, first.ETag);
        Assert.Equal(2, (await scenario.DocumentAsync(names))!.Faces!.Count);

        await RunAsync(scenario, "evening.png");
        Assert.Equal(3, (await scenario.DocumentAsync(names))!.Faces!.Count);
        Assert.Equal(3, (await scenario.CropsAsync(names)).Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Concurrent_events_never_run_more_detections_than_the_cap(int cap)
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var bytes = Fixtures.Bytes(Fixtures.Astronaut);
        for (var i = 0; i < 4; i++)
        {
            await scenario.UploadPhotoAsync($"burst/{i}.png", bytes);
        }

        var counting = new ConcurrencyRecordingPipeline(pipeline.Pipeline);
        using var processor = new PhotoProcessor(counting, scenario.Store(), cap, NullLogger<PhotoProcessor>.Instance);
        var function = new DetectFaces(processor);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => function.Run(PhotoClient(scenario, $"burst/{i}.png"), default))));

        Assert.Equal(4, counting.Calls);
        Assert.InRange(counting.MaxConcurrent, 1, cap);
    }

    [Fact]
    public async Task A_burst_of_duplicate_events_detects_the_photo_once()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        await scenario.UploadPhotoAsync("popular.png", Fixtures.Bytes(Fixtures.Astronaut));
        var counting = new ConcurrencyRecordingPipeline(pipeline.Pipeline);
        using var processor = new PhotoProcessor(counting, scenario.Store(), 1, NullLogger<PhotoProcessor>.Instance);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () => (await processor.ProcessAsync(PhotoClient(scenario, "popular.png"), default)).Outcome)));

        Assert.Equal(1, counting.Calls);
        Assert.Equal([PhotoOutcome.Processed, PhotoOutcome.AlreadyDone, PhotoOutcome.AlreadyDone], outcomes.Order());
    }

    [Fact]
    public async Task The_log_of_a_photo_carries_its_name_face_count_and_stage_timings()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        await scenario.UploadPhotoAsync("logged.png", Fixtures.Bytes(Fixtures.Astronaut));
        var logger = new RecordingLogger<PhotoProcessor>();
        using var processor = new PhotoProcessor(pipeline.Pipeline, scenario.Store(), scenario.Options.MaxConcurrentDetections, logger);

        await new DetectFaces(processor).Run(PhotoClient(scenario, "logged.png"), default);

        var stored = Assert.Single(logger.Entries, e => e.State.Any(p => p.Key == "FaceCount"));
        var fields = stored.State.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("logged.png", fields["PhotoName"]);
        Assert.Equal(1, fields["FaceCount"]);
        foreach (var timing in new[] { "DetectMs", "StoreMs", "TotalMs", "DecodeMs", "PNetMs", "RNetMs", "ONetMs" })
        {
            Assert.IsType<double>(fields[timing] ?? 0d);
        }
    }

    private static BlobClient PhotoClient(StorageScenario scenario, string name) => scenario.Photos.GetBlobClient(name);

    private DetectFaces Function(StorageScenario scenario, BlobServiceClient? outputs = null) =>
        new(new PhotoProcessor(pipeline.Pipeline, scenario.Store(outputs), scenario.Options.MaxConcurrentDetections, NullLogger<PhotoProcessor>.Instance));

    private Task RunAsync(StorageScenario scenario, string name) => Function(scenario).Run(PhotoClient(scenario, name), default);

    private async Task<PhotoOutcome> ProcessAsync(StorageScenario scenario, string name)
    {
        using var processor = new PhotoProcessor(pipeline.Pipeline, scenario.Store(), scenario.Options.MaxConcurrentDetections, NullLogger<PhotoProcessor>.Instance);
        return (await processor.ProcessAsync(PhotoClient(scenario, name), default)).Outcome;
    }
}
