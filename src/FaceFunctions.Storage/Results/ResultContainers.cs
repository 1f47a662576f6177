using Azure.Storage.Blobs;

namespace FaceFunctions.Storage.Results;

/// <summary>The containers results are written to (same account as the photos).</summary>
public sealed record ResultContainers(
    BlobContainerClient Detections,
    BlobContainerClient Faces,
    BlobContainerClient Annotated,
    BlobContainerClient Anonymized)
{
    public static ResultContainers Create(BlobServiceClient service, ContainerNames names) => new(
        service.GetBlobContainerClient(names.Detections),
        service.GetBlobContainerClient(names.Faces),
        service.GetBlobContainerClient(names.Annotated),
        service.GetBlobContainerClient(names.Anonymized));
}
