using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace FaceFunctions.Cli.Local;

/// <summary>What <c>facefunctions local upload</c> needs to know.</summary>
internal sealed record LocalUploadSettings(string Connection, string Container, Uri FunctionUrl, string Function);

/// <summary>
/// Feeds a local Functions host the way Azure would: uploads a photo, then posts the Event Grid BlobCreated
/// notification to the blob extension's webhook (Azurite has no Event Grid, so nothing else would).
/// </summary>
internal sealed class LocalUploader(LocalUploadSettings settings, HttpClient http, TextWriter output)
{
    private readonly BlobContainerClient _container = new BlobServiceClient(settings.Connection).GetBlobContainerClient(settings.Container);

    /// <summary>The check that the host has the function, made once, before the first upload.</summary>
    private Task? _functionListed;

    public Uri WebhookUrl { get; } = new(
        settings.FunctionUrl,
        $"runtime/webhooks/blobs?functionName={Uri.EscapeDataString("Host.Functions." + settings.Function)}");

    public async Task UploadAndNotifyAsync(FileInfo file, CancellationToken cancellationToken)
    {
        await (_functionListed ??= HostFunctionList.EnsureListedAsync(http, settings.FunctionUrl, settings.Function, cancellationToken));
        var blob = _container.GetBlobClient(file.Name);
        var contentType = ContentTypeOf(file);
        Response<BlobContentInfo> uploaded;
        try
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await using var stream = file.OpenRead();
            uploaded = await blob.UploadAsync(
                stream,
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
                cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
        {
            throw new LocalUploadException(
                $"Could not upload {file.Name} to container '{settings.Container}' at {_container.Uri}: {e.Message}\n" +
                "Is the storage emulator running? Start it with: azurite --silent --location .azurite", e);
        }

        await output.WriteLineAsync($"uploaded {file.Name} -> {blob.Uri} ({file.Length} bytes, ETag {uploaded.Value.ETag})");
        var notification = BlobCreatedEvent.Create(
            blob.Uri,
            blob.AccountName,
            settings.Container,
            blob.Name,
            uploaded.Value.ETag,
            contentType,
            file.Length,
            uploaded.GetRawResponse().Headers.RequestId,
            DateTimeOffset.UtcNow);
        await PostAsync(notification.ToJsonString(), file.Name, cancellationToken);
    }

    private async Task PostAsync(string json, string photoName, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("aeg-event-type", "Notification");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new LocalUploadException(
                $"No Functions host answered at {settings.FunctionUrl} ({e.Message}). {photoName} is uploaded but nothing will process it: " +
                "start the host (dotnet run --project src/FaceFunctions.App, see the README) and run this command again.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                // The function exists (checked first), so a 404 means the blob extension registered no webhook:
                // the app has no blob trigger with Source = EventGrid.
                var hint = response.StatusCode == HttpStatusCode.NotFound
                    ? $" The host has no blob webhook: is '{settings.Function}' a blob trigger with Source = EventGrid?"
                    : string.Empty;
                throw new LocalUploadException($"The host at {settings.FunctionUrl} refused the event for {photoName}: {(int)response.StatusCode} {response.ReasonPhrase}. {body}{hint}");
            }

            await output.WriteLineAsync($"notified {settings.Function} ({(int)response.StatusCode} {response.ReasonPhrase})");
        }
    }

    private static string ContentTypeOf(FileInfo file) => file.Extension.ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".bmp" => "image/bmp",
        ".gif" => "image/gif",
        _ => "application/octet-stream",
    };
}

/// <summary>A failure the user can act on; its message says how.</summary>
internal sealed class LocalUploadException(string message, Exception? inner = null) : Exception(message, inner);
