using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues.Models;
using FaceFunctions.App.Configuration;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Scanning;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Options;

namespace FaceFunctions.App.Functions;

/// <summary>
/// Bulk detection: scans of the photos container, started by a schedule or on demand, listed step by step
/// through the scan-steps queue, detected photo by photo through the scan-photos queue. The Functions host
/// scales the queue consumers out across instances; host.json's queues section bounds what one instance takes (in Azure
/// overridden by settings derived from FaceFunctions__MaxConcurrentDetections, docs/deploy.md).
/// Poison messages (after maxDequeueCount attempts) land in scan-steps-poison and scan-photos-poison.
/// </summary>
public sealed class ScanFunctions(ScanService scans, PhotoProcessor processor, BlobServiceClient blobs, IOptions<FaceFunctionsOptions> options)
{
    /// <summary>Longest prefix worth listing: a blob name has at most 1,024 characters.</summary>
    private const int MaxPrefixLength = 1024;

    /// <summary>
    /// Starts a scan of the whole photos container on <c>FaceFunctions__ScanSchedule</c>, unless an earlier scan
    /// still has steps or photos queued. Off with the app setting <c>AzureWebJobs.ScanPhotos.Disabled=true</c>.
    /// A scan that finds everything up to date costs a few listing requests per 5,000 photos and nothing else.
    /// </summary>
    [Function("ScanPhotos")]
    public async Task ScanPhotos([TimerTrigger("%FaceFunctions:ScanSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (!await scans.IsBusyAsync(cancellationToken))
        {
            await scans.StartAsync(new ScanRequest(), "timer", cancellationToken);
        }
    }

    /// <summary>POST /api/scans with an optional body {"prefix": "...", "redetect": false, "prune": false}: 202 with the scan's id and status URL.</summary>
    [Function("StartScan")]
    public async Task<HttpResponseData> StartScan(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "scans")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ScanRequest? body;
        try
        {
            var text = await request.ReadAsStringAsync() ?? string.Empty;
            body = string.IsNullOrWhiteSpace(text) ? new ScanRequest() : JsonSerializer.Deserialize(text, ScanJsonContext.Default.ScanRequest) ?? new ScanRequest();
        }
        catch (JsonException e)
        {
            return await TextAsync(request, HttpStatusCode.BadRequest, $"The body must be JSON like {{\"prefix\": \"2024/\", \"redetect\": false, \"prune\": false}}: {e.Message}", cancellationToken);
        }

        if (body.Prefix is { Length: > MaxPrefixLength })
        {
            return await TextAsync(request, HttpStatusCode.BadRequest, $"The prefix is longer than a blob name can be ({MaxPrefixLength} characters).", cancellationToken);
        }

        var record = await scans.StartAsync(body, "http", cancellationToken);
        var status = new Uri(request.Url, $"scans/{record.Id}");
        var response = request.CreateResponse(HttpStatusCode.Accepted);
        response.Headers.Add("Location", status.ToString());
        return await JsonAsync(response, JsonSerializer.Serialize(new ScanStarted(record.Id, status), ScanJsonContext.Default.ScanStarted), cancellationToken);
    }

    /// <summary>GET /api/scans/{id}: the scan's record (what was listed, enqueued, pruned, and detected so far).</summary>
    [Function("GetScan")]
    public async Task<HttpResponseData> GetScan(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "scans/{id}")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        if (await scans.GetAsync(id, cancellationToken) is not { } record)
        {
            return await TextAsync(request, HttpStatusCode.NotFound, $"There is no scan '{id}'.", cancellationToken);
        }

        return await JsonAsync(request.CreateResponse(HttpStatusCode.OK), JsonSerializer.Serialize(record, ScanJsonContext.Default.ScanRecord), cancellationToken);
    }

    /// <summary>Lists the next pages of a scan; a failure redelivers the message and the step restarts from the record's checkpoint.</summary>
    [Function("ContinueScan")]
    public Task ContinueScan(
        [QueueTrigger(ScanService.StepsQueue, Connection = SettingNames.PhotoStorageConnection)] QueueMessage message,
        CancellationToken cancellationToken) =>
        scans.StepAsync(message.Body.ToObjectFromJson(ScanJsonContext.Default.ScanStepMessage)!, message.DequeueCount, cancellationToken);

    /// <summary>
    /// Detects one photo of a scan with the same processor as DetectFaces (same outputs, same idempotent commit,
    /// same error documents); storage failures throw, so the message is retried and, after maxDequeueCount, poisoned.
    /// </summary>
    [Function("DetectQueuedPhoto")]
    public async Task DetectQueuedPhoto(
        [QueueTrigger(ScanService.PhotosQueue, Connection = SettingNames.PhotoStorageConnection)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        var photo = message.Body.ToObjectFromJson(ScanJsonContext.Default.PhotoMessage)!;
        var report = await processor.ProcessAsync(blobs.GetBlobContainerClient(options.Value.PhotosContainer).GetBlobClient(photo.Name), cancellationToken);
        await scans.CompleteAsync(photo, report, cancellationToken);
    }

    private static async Task<HttpResponseData> JsonAsync(HttpResponseData response, string json, CancellationToken cancellationToken)
    {
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(json, cancellationToken);
        return response;
    }

    private static async Task<HttpResponseData> TextAsync(HttpRequestData request, HttpStatusCode status, string text, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "text/plain; charset=utf-8");
        await response.WriteStringAsync(text, cancellationToken);
        return response;
    }
}
