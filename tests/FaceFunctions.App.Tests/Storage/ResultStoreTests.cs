using System.Globalization;
using Azure;
using FaceFunctions.Storage.Results;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Tests.Shared.Azurite;

namespace FaceFunctions.App.Tests.Storage;

/// <summary>The store's delivery guarantees, on a real Azurite, independent of the detector.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResultStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Commit_writes_every_crop_and_a_document_that_names_the_exact_photo_version()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var photo = await scenario.UploadPhotoAsync("group.jpg", [1, 2, 3, 4]);
        var names = OutputNames.For(photo.Name);
        var output = Output(faces: 3);

        var outcome = await scenario.Store().CommitAsync(photo, names, output, CommittedResult.None, scenario.CurrentETag(photo.Name), default);

        Assert.Equal(CommitOutcome.Committed, outcome);
        var document = await scenario.DocumentAsync(names);
        Assert.NotNull(document);
        Assert.Equal("group.jpg", document.Source.Name);
        Assert.Equal(scenario.Photos.Name, document.Source.Container);
        Assert.Equal(photo.ETag.ToString(), document.Source.ETag);
        Assert.Equal(4, document.Source.Size);
        Assert.Equal(photo.ContentMd5, document.Source.ContentMd5);
        Assert.Equal(3, document.Faces!.Count);
        var version = OutputNames.VersionOf(photo.ETag);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"{scenario.Options.FacesContainer}/{names.Crop(version, i)}", document.Faces[i].Crop);
            var crop = scenario.Containers.Faces.GetBlobClient(names.Crop(version, i));
            var properties = (await crop.GetPropertiesAsync()).Value;
            Assert.Equal("image/jpeg", properties.ContentType);
            Assert.Equal(Score(i).ToString("R", CultureInfo.InvariantCulture), properties.Metadata["score"]);
            Assert.Equal($"{i * 10},5,{(i * 10) + 8},15", properties.Metadata["box"]);
            Assert.Equal(CropBytes(i), (await crop.DownloadContentAsync()).Value.Content.ToArray());
        }

        var committed = await scenario.Store().ReadCommittedAsync(names, default);
        Assert.True(committed.Describes(photo.ETag));
        Assert.Equal(3, committed.CropCount);
    }

    [Fact]
    public async Task A_new_version_with_fewer_faces_leaves_exactly_its_own_crops()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var first = await scenario.UploadPhotoAsync("album/people.png", [1]);
        var names = OutputNames.For(first.Name);
        var five = Output(faces: 5);
        await scenario.Store().CommitAsync(first, names, five, CommittedResult.None, scenario.CurrentETag(first.Name), default);

        // A photo in the first photo's "folder": its results must survive the clean-up of album/people.png.
        var neighbour = await scenario.UploadPhotoAsync("album/people.png/inner.png", [9]);
        var one = Output(faces: 1);
        await scenario.Store().CommitAsync(neighbour, OutputNames.For(neighbour.Name), one, CommittedResult.None, scenario.CurrentETag(neighbour.Name), default);

        var second = await scenario.UploadPhotoAsync("album/people.png", [2]);
        var previous = await scenario.Store().ReadCommittedAsync(names, default);
        var three = Output(faces: 3);
        Assert.Equal(CommitOutcome.Committed, await scenario.Store().CommitAsync(second, names, three, previous, scenario.CurrentETag(second.Name), default));

        var version = OutputNames.VersionOf(second.ETag);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => names.Crop(version, i)).Order(StringComparer.Ordinal), (await scenario.CropsAsync(names)).Order(StringComparer.Ordinal));
        Assert.Single(await scenario.CropsAsync(OutputNames.For(neighbour.Name)));
        Assert.Equal(3, (await scenario.DocumentAsync(names))!.Faces!.Count);
    }

    [Fact]
    public async Task A_photo_that_changed_during_detection_gets_nothing_written()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var detected = await scenario.UploadPhotoAsync("busy.jpg", [1]);
        await scenario.UploadPhotoAsync("busy.jpg", [2]);
        var output = Output(faces: 2);

        var outcome = await scenario.Store().CommitAsync(detected, OutputNames.For(detected.Name), output, CommittedResult.None, scenario.CurrentETag(detected.Name), default);

        Assert.Equal(CommitOutcome.Superseded, outcome);
        Assert.Empty(await scenario.SnapshotAsync());
    }

    [Fact]
    public async Task A_stale_commit_never_replaces_the_newer_result()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var names = OutputNames.For("race.jpg");
        var old = await scenario.UploadPhotoAsync("race.jpg", [1]);
        var stateSeenByOld = await scenario.Store().ReadCommittedAsync(names, default);
        var current = await scenario.UploadPhotoAsync("race.jpg", [2]);
        var newer = Output(faces: 1);
        await scenario.Store().CommitAsync(current, names, newer, stateSeenByOld, scenario.CurrentETag(current.Name), default);

        // The old invocation checked the photo before it changed, so only the conditional write can stop it:
        // simulate that by answering its photo check with its own ETag.
        var stale = Output(faces: 4);
        var outcome = await scenario.Store().CommitAsync(old, names, stale, stateSeenByOld, PhotoCheckThatPasses(old, current, scenario), default);

        Assert.Equal(CommitOutcome.Superseded, outcome);
        var document = await scenario.DocumentAsync(names);
        Assert.Equal(current.ETag.ToString(), document!.Source.ETag);
        Assert.Single(document.Faces!);
    }

    [Fact]
    public async Task Two_invocations_of_one_version_commit_once()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var photo = await scenario.UploadPhotoAsync("twice.jpg", [1]);
        var names = OutputNames.For(photo.Name);
        var output = Output(faces: 2);

        var first = await scenario.Store().CommitAsync(photo, names, output, CommittedResult.None, scenario.CurrentETag(photo.Name), default);
        var before = await scenario.SnapshotAsync();
        var second = await scenario.Store().CommitAsync(photo, names, output, CommittedResult.None, scenario.CurrentETag(photo.Name), default);

        Assert.Equal(CommitOutcome.Committed, first);
        Assert.Equal(CommitOutcome.AlreadyCommitted, second);
        Assert.Equal(before.Keys, (await scenario.SnapshotAsync()).Keys);
        Assert.Equal(before[$"{scenario.Options.DetectionsContainer}/twice.jpg.json"], (await scenario.SnapshotAsync())[$"{scenario.Options.DetectionsContainer}/twice.jpg.json"]);
    }

    [Fact]
    public async Task Storage_failing_mid_write_throws_and_keeps_the_previous_complete_result()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var names = OutputNames.For("fragile.jpg");
        var first = await scenario.UploadPhotoAsync("fragile.jpg", [1]);
        var two = Output(faces: 2);
        await scenario.Store().CommitAsync(first, names, two, CommittedResult.None, scenario.CurrentETag(first.Name), default);

        var second = await scenario.UploadPhotoAsync("fragile.jpg", [2]);
        var previous = await scenario.Store().ReadCommittedAsync(names, default);
        var fault = new FaultInjectionPolicy(m => m.Request.Uri.Path.Contains($"/{scenario.Options.FacesContainer}/", StringComparison.Ordinal) && m.Request.Method == Azure.Core.RequestMethod.Put, allowed: 1);
        var four = Output(faces: 4);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            scenario.Store(scenario.Server.CreateClient(fault)).CommitAsync(second, names, four, previous, scenario.CurrentETag(second.Name), default));

        // The document still describes the first version, and every crop it references exists.
        await AssertDocumentHasAllItsCropsAsync(scenario, names, first.ETag);

        // The retry completes the new version and removes the first version's crops and the orphan.
        Assert.Equal(CommitOutcome.Committed, await scenario.Store().CommitAsync(second, names, four, previous, scenario.CurrentETag(second.Name), default));
        await AssertDocumentHasAllItsCropsAsync(scenario, names, second.ETag);
        Assert.Equal(4, (await scenario.CropsAsync(names)).Count);
    }

    [Fact]
    public async Task Azurite_stopping_mid_write_throws_and_after_its_restart_the_previous_result_is_whole()
    {
        using var server = new AzuriteServer(persistent: true);
        var scenario = await StorageScenario.CreateAsync(server);
        var names = OutputNames.For("stopped.jpg");
        var first = await scenario.UploadPhotoAsync("stopped.jpg", [1]);
        var two = Output(faces: 2);
        await scenario.Store().CommitAsync(first, names, two, CommittedResult.None, scenario.CurrentETag(first.Name), default);

        var second = await scenario.UploadPhotoAsync("stopped.jpg", [2]);
        var previous = await scenario.Store().ReadCommittedAsync(names, default);
        var stopper = new FaultInjectionPolicy(
            m => m.Request.Method == Azure.Core.RequestMethod.Put && m.Request.Uri.Path.Contains($"/{scenario.Options.FacesContainer}/", StringComparison.Ordinal),
            allowed: 1,
            onTrip: server.Stop,
            failAfterTrip: false);
        var four = Output(faces: 4);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            scenario.Store(server.CreateClient(stopper)).CommitAsync(second, names, four, previous, scenario.CurrentETag(second.Name), default));
        Assert.False(server.IsRunning);

        server.Start();
        await AssertDocumentHasAllItsCropsAsync(scenario, names, first.ETag);
        Assert.Equal(CommitOutcome.Committed, await scenario.Store().CommitAsync(second, names, four, previous, scenario.CurrentETag(second.Name), default));
        await AssertDocumentHasAllItsCropsAsync(scenario, names, second.ETag);
        Assert.Equal(4, (await scenario.CropsAsync(names)).Count);
    }

    [Theory]
    [InlineData("holiday 2024/beach day/IMG 0001.jpg")]
    [InlineData("фото/家族/été 🎉.png")]
    [InlineData("dotdot/../escape.jpg")]
    [InlineData("trailing.")]
    public async Task Any_blob_name_gets_valid_outputs_that_lead_back_to_it(string photoName)
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var photo = await scenario.UploadPhotoAsync(photoName, [7]);
        var names = OutputNames.For(photoName);
        var output = Output(faces: 2, extras: true);

        await scenario.Store().CommitAsync(photo, names, output, CommittedResult.None, scenario.CurrentETag(photoName), default);

        var document = await scenario.DocumentAsync(names);
        Assert.Equal(photoName, document!.Source.Name);
        await AssertDocumentHasAllItsCropsAsync(scenario, names, photo.ETag);
        Assert.True(await scenario.Containers.Annotated.GetBlobClient(names.Annotated).ExistsAsync());
        Assert.True(await scenario.Containers.Anonymized.GetBlobClient(names.Anonymized).ExistsAsync());
        var stored = await scenario.SnapshotAsync();
        Assert.Equal(5, stored.Count);
    }

    [Fact]
    public async Task An_error_document_replaces_faces_and_removes_the_old_privacy_copies()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var names = OutputNames.For("became-corrupt.jpg");
        var good = await scenario.UploadPhotoAsync("became-corrupt.jpg", [1]);
        var faces = Output(faces: 2, extras: true);
        await scenario.Store().CommitAsync(good, names, faces, CommittedResult.None, scenario.CurrentETag(good.Name), default);

        var bad = await scenario.UploadPhotoAsync("became-corrupt.jpg", [0xFF, 0xD8]);
        var previous = await scenario.Store().ReadCommittedAsync(names, default);
        var error = new PhotoResult
        {
            Document = new DetectionDocument { Source = new SourceInfo { Name = bad.Name }, Error = new DocumentError("Corrupt", "truncated JPEG") },
        };

        await scenario.Store().CommitAsync(bad, names, error, previous, scenario.CurrentETag(bad.Name), default);

        var stored = await scenario.SnapshotAsync();
        Assert.Equal([$"{scenario.Options.DetectionsContainer}/became-corrupt.jpg.json"], stored.Keys);
        Assert.Equal("Corrupt", (await scenario.DocumentAsync(names))!.Error!.Code);
    }

    internal static async Task AssertDocumentHasAllItsCropsAsync(StorageScenario scenario, OutputNames names, ETag photoETag)
    {
        var document = await scenario.DocumentAsync(names);
        Assert.NotNull(document);
        Assert.Equal(photoETag.ToString(), document.Source.ETag);
        foreach (var face in document.Faces ?? [])
        {
            var path = face.Crop!;
            Assert.StartsWith(scenario.Options.FacesContainer + "/", path, StringComparison.Ordinal);
            Assert.True(await scenario.Containers.Faces.GetBlobClient(path[(scenario.Options.FacesContainer!.Length + 1)..]).ExistsAsync(), $"missing crop {path}");
        }
    }

    private static Func<CancellationToken, Task<ETag?>> PhotoCheckThatPasses(PhotoVersion old, PhotoVersion current, StorageScenario scenario)
    {
        var calls = 0;
        return async ct => Interlocked.Increment(ref calls) <= 2 ? old.ETag : await scenario.CurrentETag(current.Name)(ct);
    }

    private static float Score(int i) => 0.99f - (i * 0.01f);

    private static byte[] CropBytes(int i) => [0xFF, 0xD8, (byte)i, 0xFF, 0xD9];

    private static EncodedImage Jpeg(byte[] bytes) => new(bytes, "image/jpeg", ".jpg");

    private static PhotoResult Output(int faces, bool extras = false)
    {
        var detected = Enumerable.Range(0, faces)
            .Select(i => new DetectedFace(new FaceBox(i * 10, 5, (i * 10) + 8, 15), Score(i), new FaceLandmarks(new(1, 2), new(3, 2), new(2, 3), new(1, 4), new(3, 4))))
            .ToList();
        var document = new DetectionDocument
        {
            Source = new SourceInfo { Name = "ignored: the store names the source", Width = 100, Height = 80, Format = "jpeg" },
            Faces = detected.Select(f => new FaceRecord
            {
                Box = [f.Box.X1, f.Box.Y1, f.Box.X2, f.Box.Y2],
                Score = f.Score,
                Landmarks = new LandmarksRecord([1, 2], [3, 2], [2, 3], [1, 4], [3, 4]),
            }).ToList(),
        };
        var extra = extras ? Jpeg([0xFF, 0xD8, 0xFF, 0xD9]) : null;
        return new PhotoResult
        {
            Document = document,
            Crops = detected.Select((face, i) => new EncodedFaceCrop(i, Jpeg(CropBytes(i)), face)).ToList(),
            Annotated = extra,
            Anonymized = extra,
        };
    }
}
