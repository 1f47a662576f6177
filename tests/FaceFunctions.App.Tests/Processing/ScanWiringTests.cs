using Azure.Storage.Queues;
using FaceFunctions.App.Functions;
using FaceFunctions.App.Tests.Storage;
using FaceFunctions.Storage.Results;
using FaceFunctions.Storage.Scanning;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>
/// The scan functions as registered from the settings alone, against Azurite's blob, queue and table services:
/// the timer starts a scan, the step consumer lists it, the photo consumer detects. This test plays the host,
/// receiving each message and passing it to the function.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScanWiringTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_scheduled_scan_detects_a_photo_that_has_no_result_through_the_queues()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var settings = WiringTests.SettingsFor(scenario, azurite.Server);
        using var host = WiringTests.Build(settings);
        await host.StartAsync();
        var photo = await scenario.UploadPhotoAsync("archived.png", Fixtures.Bytes(Fixtures.Astronaut));
        var functions = ActivatorUtilities.CreateInstance<ScanFunctions>(host.Services);
        var queues = new QueueServiceClient(azurite.Server.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

        await functions.ScanPhotos(new TimerInfo(), default);
        var steps = queues.GetQueueClient(ScanService.StepsQueue);
        var step = Assert.Single((await steps.ReceiveMessagesAsync(maxMessages: 32)).Value);
        await functions.ContinueScan(step, default);
        await steps.DeleteMessageAsync(step.MessageId, step.PopReceipt);
        var photos = queues.GetQueueClient(ScanService.PhotosQueue);
        var queued = Assert.Single((await photos.ReceiveMessagesAsync(maxMessages: 32)).Value);
        await functions.DetectQueuedPhoto(queued, default);
        await photos.DeleteMessageAsync(queued.MessageId, queued.PopReceipt);

        var document = await scenario.DocumentAsync(OutputNames.For("archived.png"));
        Assert.Equal(photo.ETag.ToString(), document!.Source.ETag);
        Assert.Single(document.Faces!);
        var scanId = queued.Body.ToObjectFromJson(ScanJsonContext.Default.PhotoMessage)!.ScanId;
        var record = await host.Services.GetRequiredService<ScanService>().GetAsync(scanId, default);
        Assert.Equal("finished", record!.Status);
        Assert.Equal("timer", record.Trigger);
        Assert.Equal(new DetectionCounts(1, 0), record.Detections);
        await host.StopAsync();
    }
}
