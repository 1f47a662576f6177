using System.CommandLine;
using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using FaceFunctions.Cli.Commands;
using FaceFunctions.Tests.Shared.Azurite;

namespace FaceFunctions.Cli.Tests.Local;

[Collection(AzuriteCollection.Name)]
public sealed class LocalUploadCommandTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("ff-upload-");

    [Fact]
    public async Task Uploads_each_photo_and_posts_the_event_the_blob_extension_parses()
    {
        using var host = new CapturingHost();
        var container = "photos-" + Guid.NewGuid().ToString("N")[..8];
        var first = WriteFile("first photo.jpg", 3000);
        var second = WriteFile("été.png", 1234);

        var (exit, output, error) = await RunAsync(
            first.FullName, second.FullName,
            "--connection", azurite.Server.ConnectionString,
            "--container", container,
            "--function-url", host.BaseUrl.AbsoluteUri.TrimEnd('/'),
            "--function", "DetectFaces");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Equal(2, host.Requests.Count);
        var photos = azurite.Server.CreateClient().GetBlobContainerClient(container);
        foreach (var (file, request) in new[] { first, second }.Zip(host.Requests))
        {
            var blob = photos.GetBlobClient(file.Name);
            var properties = (await blob.GetPropertiesAsync()).Value;
            Assert.Equal(file.Length, properties.ContentLength);
            Assert.Equal(File.ReadAllBytes(file.FullName), (await blob.DownloadContentAsync()).Value.Content.ToArray());

            Assert.Equal("POST", request.Method);
            Assert.Equal("/runtime/webhooks/blobs", request.Url.AbsolutePath);
            Assert.Equal("?functionName=Host.Functions.DetectFaces", request.Url.Query);
            Assert.Equal("Notification", request.EventTypeHeader);
            Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);

            using var json = JsonDocument.Parse(request.Body);
            Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
            var notification = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("Microsoft.Storage.BlobCreated", notification.GetProperty("eventType").GetString());
            Assert.Equal($"/blobServices/default/containers/{container}/blobs/{file.Name}", notification.GetProperty("subject").GetString());
            foreach (var field in new[] { "id", "topic", "eventTime", "dataVersion", "metadataVersion" })
            {
                Assert.True(notification.TryGetProperty(field, out _), $"missing {field}");
            }

            var data = notification.GetProperty("data");
            Assert.Equal("PutBlob", data.GetProperty("api").GetString());
            Assert.Equal("BlockBlob", data.GetProperty("blobType").GetString());
            Assert.Equal(file.Length, data.GetProperty("contentLength").GetInt64());
            Assert.Equal(file.Extension == ".png" ? "image/png" : "image/jpeg", data.GetProperty("contentType").GetString());
            // Event Grid sends the ETag unquoted; the extension adds the quotes back.
            Assert.Equal(properties.ETag.ToString(), $"\"{data.GetProperty("eTag").GetString()}\"");

            // The extension finds the blob from data.url alone (BlobUriBuilder): it must lead back to this blob.
            var fromUrl = new BlobUriBuilder(new Uri(data.GetProperty("url").GetString()!));
            Assert.Equal(container, fromUrl.BlobContainerName);
            Assert.Equal(file.Name, fromUrl.BlobName);
            Assert.Equal(azurite.Server.AccountName, fromUrl.AccountName);
            foreach (var field in new[] { "clientRequestId", "requestId", "sequencer", "storageDiagnostics" })
            {
                Assert.True(data.TryGetProperty(field, out _), $"missing data.{field}");
            }
        }

        Assert.Contains("notified DetectFaces (202", output, StringComparison.Ordinal);
        Assert.Equal(1, host.FunctionListRequests);
    }

    [Fact]
    public async Task Says_plainly_when_no_host_is_running()
    {
        var photo = WriteFile("lonely.jpg", 10);
        var nobody = new Uri($"http://127.0.0.1:{CapturingHost.FreePort()}");

        var (exit, _, error) = await RunAsync(photo.FullName, "--connection", azurite.Server.ConnectionString, "--function-url", nobody.AbsoluteUri);

        Assert.Equal(1, exit);
        Assert.Contains($"No Functions host answered at {nobody}", error, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/FaceFunctions.App", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_function_the_host_does_not_know_before_uploading_anything()
    {
        // The real host's webhook would answer 202 for this name and drop the event: only its function list tells.
        using var host = new CapturingHost(["DetectFaces", "Health"]);
        var container = "photos-" + Guid.NewGuid().ToString("N")[..8];
        var photo = WriteFile("typo.jpg", 10);

        var (exit, _, error) = await RunAsync(
            photo.FullName, "--connection", azurite.Server.ConnectionString, "--container", container,
            "--function-url", host.BaseUrl.AbsoluteUri, "--function", "DetectFacez");

        Assert.Equal(1, exit);
        Assert.Contains("has no function named 'DetectFacez' (its functions: DetectFaces, Health)", error, StringComparison.Ordinal);
        Assert.Empty(host.Requests);
        Assert.False(await azurite.Server.CreateClient().GetBlobContainerClient(container).ExistsAsync());
    }

    [Fact]
    public async Task Function_names_are_matched_exactly_as_the_host_spells_them()
    {
        using var host = new CapturingHost(["DetectFaces"]);
        var photo = WriteFile("lowercase.jpg", 10);

        var (exit, _, error) = await RunAsync(photo.FullName, "--connection", azurite.Server.ConnectionString, "--function-url", host.BaseUrl.AbsoluteUri, "--function", "detectfaces");

        Assert.Equal(1, exit);
        Assert.Contains("no function named 'detectfaces' (its functions: DetectFaces)", error, StringComparison.Ordinal);
        Assert.Empty(host.Requests);
    }

    [Fact]
    public async Task Says_so_when_the_host_will_not_list_its_functions()
    {
        using var host = new CapturingHost(functionListStatus: HttpStatusCode.Unauthorized);
        var photo = WriteFile("locked.jpg", 10);

        var (exit, _, error) = await RunAsync(photo.FullName, "--connection", azurite.Server.ConnectionString, "--function-url", host.BaseUrl.AbsoluteUri);

        Assert.Equal(1, exit);
        Assert.Contains("did not list its functions", error, StringComparison.Ordinal);
        Assert.Contains("401", error, StringComparison.Ordinal);
        Assert.Empty(host.Requests);
    }

    [Fact]
    public async Task Missing_files_are_a_usage_error_and_nothing_is_sent()
    {
        using var host = new CapturingHost();

        var (exit, _, error) = await RunAsync(Path.Combine(_files.FullName, "absent.jpg"), "--connection", azurite.Server.ConnectionString, "--function-url", host.BaseUrl.AbsoluteUri);

        Assert.Equal(2, exit);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
        Assert.Empty(host.Requests);
    }

    public void Dispose() => _files.Delete(recursive: true);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await LocalUploadCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private FileInfo WriteFile(string name, int size)
    {
        var path = Path.Combine(_files.FullName, name);
        File.WriteAllBytes(path, Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray());
        return new FileInfo(path);
    }
}
