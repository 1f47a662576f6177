using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using FaceFunctions.App.Configuration;
using FaceFunctions.App.Functions;
using FaceFunctions.App.Tests.Storage;
using FaceFunctions.Storage.Scanning;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>
/// POST and GET /api/scans as the functions answer them, with the services registered from the settings alone.
/// The scans' queues have fixed names in the shared Azurite: each test empties them afterwards, so that the
/// timer's "an earlier scan is still queued" check sees nothing of ours.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScanHttpTests(AzuriteFixture azurite) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var queues = new QueueServiceClient(azurite.Server.ConnectionString);
        foreach (var name in new[] { ScanService.StepsQueue, ScanService.PhotosQueue })
        {
            var queue = queues.GetQueueClient(name);
            if (await queue.ExistsAsync())
            {
                await queue.ClearMessagesAsync();
            }
        }
    }

    [Fact]
    public async Task Post_starts_a_scan_and_answers_202_with_its_status_url_which_get_reports()
    {
        using var host = await StartAsync();
        var functions = ActivatorUtilities.CreateInstance<ScanFunctions>(host.Services);

        var started = await functions.StartScan(Request("POST", "https://app.example/api/scans", """{"prefix": "2024/", "redetect": true}"""), default);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var body = JsonSerializer.Deserialize(Body(started), ScanJsonContext.Default.ScanStarted)!;
        Assert.Equal(new Uri($"https://app.example/api/scans/{body.Id}"), body.StatusUrl);
        Assert.Equal(body.StatusUrl.ToString(), Assert.Single(started.Headers.GetValues("Location")));

        var status = await functions.GetScan(Request("GET", body.StatusUrl.ToString()), body.Id, default);

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var record = JsonSerializer.Deserialize(Body(status), ScanJsonContext.Default.ScanRecord)!;
        Assert.Equal(("http", "2024/", true, false), (record.Trigger, record.Prefix, record.Redetect, record.Prune));
        Assert.Contains("\"status\":\"listing\"", Body(status), StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    public async Task Post_without_options_scans_everything(string json)
    {
        using var host = await StartAsync();
        var functions = ActivatorUtilities.CreateInstance<ScanFunctions>(host.Services);

        var started = await functions.StartScan(Request("POST", "http://localhost:7071/api/scans", json), default);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = JsonSerializer.Deserialize(Body(started), ScanJsonContext.Default.ScanStarted)!.Id;
        var record = await host.Services.GetRequiredService<ScanService>().GetAsync(id, default);
        Assert.Equal((null, false, false), (record!.Prefix, record.Redetect, record.Prune));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_body_that_is_not_the_expected_json_is_a_400_and_an_unknown_scan_a_404()
    {
        using var host = await StartAsync();
        var functions = ActivatorUtilities.CreateInstance<ScanFunctions>(host.Services);

        var bad = await functions.StartScan(Request("POST", "http://localhost:7071/api/scans", """{"redetect": "yes"}"""), default);
        var missing = await functions.GetScan(Request("GET", "http://localhost:7071/api/scans/nope"), "nope", default);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"prefix\"", Body(bad), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await host.StopAsync();
    }

    private static string Body(HttpResponseData response) => Encoding.UTF8.GetString(((MemoryStream)response.Body).ToArray());

    private static FakeRequest Request(string method, string url, string body = "") => new(new FakeContext(), method, new Uri(url), body);

    private async Task<IHost> StartAsync()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("local.settings.sample.json")));
        var settings = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => (string?)p.Value.GetString());
        settings[SettingNames.PhotoStorageConnection] = azurite.Server.ConnectionString;
        settings[SettingNames.PhotosContainer] = scenario.Options.PhotosContainer;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)));
        builder.Services.AddLogging();
        builder.Services.AddFaceFunctions(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The request the HTTP trigger hands the function, with only what the scan functions use.</summary>
    private sealed class FakeRequest(FunctionContext context, string method, Uri url, string body) : HttpRequestData(context)
    {
        public override Stream Body { get; } = new MemoryStream(Encoding.UTF8.GetBytes(body));

        public override HttpHeadersCollection Headers { get; } = [];

        public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

        public override Uri Url => url;

        public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

        public override string Method => method;

        public override HttpResponseData CreateResponse() => new FakeResponse(FunctionContext);
    }

    private sealed class FakeResponse(FunctionContext context) : HttpResponseData(context)
    {
        public override HttpStatusCode StatusCode { get; set; }

        public override HttpHeadersCollection Headers { get; set; } = [];

        public override Stream Body { get; set; } = new MemoryStream();

        public override HttpCookies Cookies => throw new NotSupportedException();
    }

    private sealed class FakeContext : FunctionContext
    {
        public override string InvocationId => "test";

        public override string FunctionId => "test";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = new ServiceCollection().BuildServiceProvider();

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }
}
