using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace FaceFunctions.Cli.Tests.Local;

/// <summary>
/// A stand-in for a local Functions host on 127.0.0.1 that behaves as the real one does for what
/// <c>local upload</c> uses: the blob extension's webhook (POST /runtime/webhooks/blobs) answers 202 Accepted for
/// any functionName, known or not, and the admin API (GET /admin/functions) lists the app's functions as objects
/// with a "name" (a local host serves it without a key). Records every webhook request.
/// </summary>
internal sealed class CapturingHost : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    /// <param name="functions">The functions the app has.</param>
    /// <param name="functionListStatus">What the admin API answers (a host requiring a key answers 401).</param>
    public CapturingHost(string[]? functions = null, HttpStatusCode functionListStatus = HttpStatusCode.OK)
    {
        var functionList = FunctionList(functions ?? ["DetectFaces"]);
        Port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{Port}/");
        _listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                await AnswerAsync(context, functionList, functionListStatus);
            }
        });
    }

    public int Port { get; }

    public Uri BaseUrl { get; }

    /// <summary>The events posted to the webhook, in order.</summary>
    public List<CapturedRequest> Requests { get; } = [];

    /// <summary>How many times the function list was asked for.</summary>
    public int FunctionListRequests { get; private set; }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static byte[] FunctionList(string[] functions) => Encoding.UTF8.GetBytes(new JsonArray(functions.Select(name => (JsonNode)new JsonObject
    {
        ["name"] = name,
        ["language"] = "dotnet-isolated",
        ["isDisabled"] = false,
        ["config"] = new JsonObject
        {
            ["bindings"] = new JsonArray(new JsonObject { ["type"] = "blobTrigger", ["direction"] = "In", ["source"] = "EventGrid" }),
        },
    }).ToArray()).ToJsonString());

    private async Task AnswerAsync(HttpListenerContext context, byte[] functionList, HttpStatusCode functionListStatus)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.HttpMethod == "GET" && request.Url!.AbsolutePath == "/admin/functions")
        {
            lock (Requests)
            {
                FunctionListRequests++;
            }

            response.StatusCode = (int)functionListStatus;
            if (functionListStatus == HttpStatusCode.OK)
            {
                response.ContentType = "application/json; charset=utf-8";
                await response.OutputStream.WriteAsync(functionList);
            }
        }
        else if (request.HttpMethod == "POST" && request.Url!.AbsolutePath == "/runtime/webhooks/blobs")
        {
            using var reader = new StreamReader(request.InputStream);
            var body = await reader.ReadToEndAsync();
            lock (Requests)
            {
                Requests.Add(new CapturedRequest(request.HttpMethod, request.Url, request.Headers["aeg-event-type"], request.ContentType, body));
            }

            // The blob extension accepts the event whatever the functionName; an unknown one is dropped afterwards.
            response.StatusCode = (int)HttpStatusCode.Accepted;
        }
        else
        {
            response.StatusCode = (int)HttpStatusCode.NotFound;
        }

        response.Close();
    }
}

internal sealed record CapturedRequest(string Method, Uri Url, string? EventTypeHeader, string? ContentType, string Body);
