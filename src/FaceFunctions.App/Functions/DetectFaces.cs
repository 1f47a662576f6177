using Azure.Storage.Blobs;
using FaceFunctions.App.Configuration;
using FaceFunctions.Storage.Processing;
using Microsoft.Azure.Functions.Worker;

namespace FaceFunctions.App.Functions;

/// <summary>
/// Detects faces in every photo uploaded to the photos container. Event Grid delivers the BlobCreated events
/// (the only blob trigger Flex Consumption supports); the photo arrives as a <see cref="BlobClient"/> (deferred
/// binding), so the processor reads its properties first and then downloads it asynchronously into a buffer
/// bounded by <c>ImageLimits__MaxBytes</c>, conditional on the ETag it read.
/// </summary>
public sealed class DetectFaces(PhotoProcessor processor)
{
    [Function(nameof(DetectFaces))]
    public Task Run(
        [BlobTrigger("%FaceFunctions:PhotosContainer%/{name}", Source = BlobTriggerSource.EventGrid, Connection = SettingNames.PhotoStorageConnection)]
        BlobClient photo,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(photo, cancellationToken);
}
