using System.Globalization;
using System.Text.Json.Nodes;
using Azure;

namespace FaceFunctions.Cli.Local;

/// <summary>
/// The Event Grid notification storage would send for one uploaded blob (schema "Microsoft.Storage.BlobCreated",
/// Event Grid event schema). The blob extension reads <c>data.url</c> (container and blob name),
/// <c>data.eTag</c> (unquoted, as Event Grid sends it) and <c>data.blobType</c>; the other fields are there so
/// the payload looks like the real thing to anything else that inspects it.
/// </summary>
internal static class BlobCreatedEvent
{
    public const string EventType = "Microsoft.Storage.BlobCreated";

    public static JsonArray Create(Uri blobUrl, string accountName, string container, string blobName, ETag eTag, string contentType, long contentLength, string? requestId, DateTimeOffset eventTime)
    {
        var notification = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["topic"] = $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Storage/storageAccounts/{accountName}",
            ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blobName}",
            ["eventType"] = EventType,
            ["eventTime"] = eventTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["dataVersion"] = string.Empty,
            ["metadataVersion"] = "1",
            ["data"] = new JsonObject
            {
                ["api"] = "PutBlob",
                ["clientRequestId"] = Guid.NewGuid().ToString(),
                ["requestId"] = requestId ?? Guid.NewGuid().ToString(),
                ["eTag"] = eTag.ToString().Trim('"'),
                ["contentType"] = contentType,
                ["contentLength"] = contentLength,
                ["blobType"] = "BlockBlob",
                ["url"] = blobUrl.AbsoluteUri,
                ["sequencer"] = eventTime.UtcTicks.ToString("x32", CultureInfo.InvariantCulture),
                ["storageDiagnostics"] = new JsonObject { ["batchId"] = Guid.NewGuid().ToString() },
            },
        };
        return [notification];
    }
}
