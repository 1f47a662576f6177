using Azure.Storage.Blobs;
using FaceFunctions.App.Configuration;

namespace FaceFunctions.App.Storage;

/// <summary>The containers results are written to (same account as the photos), from the settings.</summary>
public sealed record ResultContainers(
    BlobContainerClient Detections,
    BlobContainerClient Faces,
    BlobContainerClient Annotated,
    BlobContainerClient Anonymized)
{
    public static ResultContainers Create(BlobServiceClient service, FaceFunctionsOptions options) => new(
        service.GetBlobContainerClient(options.DetectionsContainer),
        service.GetBlobContainerClient(options.FacesContainer),
        service.GetBlobContainerClient(options.AnnotatedContainer),
        service.GetBlobContainerClient(options.AnonymizedContainer));
}
