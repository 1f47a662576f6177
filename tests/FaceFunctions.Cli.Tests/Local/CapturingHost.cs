using System.Net;
using System.Net.Sockets;

namespace FaceFunctions.Cli.Tests.Local;

/// <summary>A stand-in for the Functions host's webhook on 127.0.0.1: records every request and answers 202.</summary>
internal sealed class CapturingHost : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public CapturingHost(HttpStatusCode answer = HttpStatusCode.Accepted)
    {
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

                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (Requests)
                {
                    Requests.Add(new CapturedRequest(
                        context.Request.HttpMethod,
                        context.Request.Url!,
                        context.Request.Headers["aeg-event-type"],
                        context.Request.ContentType,
                        body));
                }

                context.Response.StatusCode = (int)answer;
                context.Response.Close();
            }
        });
    }

    public int Port { get; }

    public Uri BaseUrl { get; }

    public List<CapturedRequest> Requests { get; } = [];

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
}

internal sealed record CapturedRequest(string Method, Uri Url, string? EventTypeHeader, string? ContentType, string Body);
