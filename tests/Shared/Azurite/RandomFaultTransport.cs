using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;

namespace FaceFunctions.Tests.Shared.Azurite;

/// <summary>What <see cref="RandomFaultTransport"/> does to a request it picks.</summary>
public enum StorageFault
{
    /// <summary>503 Server Busy; the request never reached storage.</summary>
    ServerBusy,

    /// <summary>429 with Retry-After: 1; the request never reached storage.</summary>
    Throttled,

    /// <summary>No answer until the client's network timeout gives up; the request never reached storage.</summary>
    Timeout,

    /// <summary>The connection drops before the request is sent.</summary>
    ConnectionDropped,

    /// <summary>Storage carried the request out (a write happened), then the connection dropped: the answer is lost.</summary>
    AnswerLost,

    /// <summary>Storage carried the request out, then no answer came until the client's network timeout.</summary>
    TimeoutAfterWrite,
}

/// <summary>
/// Storage failing at random: with probability <see cref="Probability"/> per request, one of the
/// <see cref="StorageFault"/>s (a kind listed twice is twice as likely; <see cref="DefaultMix"/> by default). It is the clients' transport (wrapping the real one), so it sits inside the storage
/// client's retry loop and below its network-timeout policy: the client's retries, its Retry-After handling and its
/// timeouts meet these faults exactly as they would meet real ones (a made-up 503 is classified as an error by the
/// pipeline, a hang ends in the client's own timeout exception, a dropped connection is a
/// <see cref="RequestFailedException"/> with status 0 as the HTTP transport reports it).
/// <para>
/// Seeded and replayable: whether the n-th request with a given method, blob path and query is hit depends only on
/// the seed and n, not on which thread sends it first, so a failing seed replays the same faults on the same blobs
/// (requests whose path holds a random id, such as queue message ids, differ from run to run).
/// </para>
/// </summary>
public sealed class RandomFaultTransport : HttpPipelineTransport
{
    /// <summary>
    /// The mix when none is given, by weight: answers lost after the write (the hard case for exactly-once) 5,
    /// 503s 4, dropped connections 4, and 429s, timeouts before the write and timeouts after it 1 each: these three
    /// cost a second of waiting each, which is what a run's length is made of.
    /// </summary>
    public static IReadOnlyList<StorageFault> DefaultMix { get; } =
    [
        .. Enumerable.Repeat(StorageFault.AnswerLost, 5),
        .. Enumerable.Repeat(StorageFault.ServerBusy, 4),
        .. Enumerable.Repeat(StorageFault.ConnectionDropped, 4),
        StorageFault.Throttled, StorageFault.Timeout, StorageFault.TimeoutAfterWrite,
    ];

    /// <summary>A hang that the client's network timeout did not end is ended here, so a test never waits for ever.</summary>
    private static readonly TimeSpan LongestHang = TimeSpan.FromSeconds(30);

    private readonly HttpPipelineTransport _inner;
    private readonly IReadOnlyList<StorageFault> _kinds;
    private readonly Func<HttpMessage, bool> _applies;
    private readonly int _maxFaults;
    private readonly ConcurrentDictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<StorageFault, int> _injected = new();
    private readonly ConcurrentQueue<string> _log = new();
    private int _requests;
    private int _retries;
    private int _mostRetries;
    private int _faults;
    private int _claimed;

    public RandomFaultTransport(
        int seed,
        double probability,
        IReadOnlyList<StorageFault>? kinds = null,
        Func<HttpMessage, bool>? applies = null,
        int maxFaults = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        Seed = seed;
        Probability = probability;
        _kinds = kinds is { Count: > 0 } ? kinds : DefaultMix;
        _applies = applies ?? (_ => true);
        _maxFaults = maxFaults;
        _inner = HttpClientTransport.Shared;
    }

    public int Seed { get; }

    public double Probability { get; }

    /// <summary>Requests sent, the client's retries included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that were the client's retries of an earlier attempt.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>The most retries the client made of one request.</summary>
    public int MostRetries => Volatile.Read(ref _mostRetries);

    public int Faults => Volatile.Read(ref _faults);

    public int Injected(StorageFault kind) => _injected.GetValueOrDefault(kind);

    /// <summary>Every fault injected, in order: kind, method, path and which try of the request it hit.</summary>
    public IReadOnlyList<string> Log => [.. _log];

    /// <summary>One line for a test's output and failure messages: the seed first, so a failure can be replayed.</summary>
    public string Summary =>
        $"seed {Seed}, p = {Probability.ToString(CultureInfo.InvariantCulture)}: {Requests} requests ({Retries} of them the client's retries, " +
        $"at most {MostRetries} for one request), {Faults} faults injected (" +
        string.Join(", ", Enum.GetValues<StorageFault>().Select(k => $"{k} {Injected(k)}")) + ")";

    /// <summary>
    /// The retry settings the function app and the CLI run with (the storage client's defaults: 5 retries), with
    /// the back-off shortened so that a run of hundreds of photos stays short (Retry-After is still honoured), and a
    /// short network timeout so that a <see cref="StorageFault.Timeout"/> ends in the client's own timeout quickly.
    /// </summary>
    public static TOptions WithProductRetries<TOptions>(TOptions options, RandomFaultTransport? faults)
        where TOptions : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.MaxRetries = ProductMaxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(1);
        if (faults is not null)
        {
            options.Transport = faults;
        }

        return options;
    }

    /// <summary>Retries per request in the app and the CLI: the storage client's default, which neither changes.</summary>
    public static int ProductMaxRetries { get; } = new BlobClientOptions().Retry.MaxRetries;

    public override Request CreateRequest() => _inner.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message) => ProcessAsync(message, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, bool async)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref _requests);
        var retry = message.ProcessingContext.RetryNumber;
        if (retry > 0)
        {
            Interlocked.Increment(ref _retries);
            int most;
            while (retry > (most = Volatile.Read(ref _mostRetries)) && Interlocked.CompareExchange(ref _mostRetries, retry, most) != most)
            {
                // Another request raised the maximum meanwhile: compare again.
            }
        }

        switch (Decide(message))
        {
            case null:
                await SendAsync(message, async);
                break;
            case StorageFault.ServerBusy:
                message.Response = new InjectedResponse(503, "Server Busy", "ServerBusy", message.Request.ClientRequestId, retryAfterSeconds: null);
                break;
            case StorageFault.Throttled:
                message.Response = new InjectedResponse(429, "Too Many Requests", "TooManyRequests", message.Request.ClientRequestId, retryAfterSeconds: 1);
                break;
            case StorageFault.Timeout:
                await HangAsync(message, async);
                break;
            case StorageFault.ConnectionDropped:
                throw Dropped(message, "before the request was sent");
            case StorageFault.AnswerLost:
                await SendAsync(message, async);
                message.Response.Dispose();
                throw Dropped(message, "after storage carried the request out");
            case StorageFault.TimeoutAfterWrite:
                await SendAsync(message, async);
                message.Response.Dispose();
                await HangAsync(message, async);
                break;
        }
    }

    private async ValueTask SendAsync(HttpMessage message, bool async)
    {
        if (async)
        {
            await _inner.ProcessAsync(message);
        }
        else
        {
            _inner.Process(message);
        }
    }

    /// <summary>
    /// Waits for the client's network timeout, which cancels <see cref="HttpMessage.CancellationToken"/>; the
    /// client then throws its own timeout exception, as when storage never answers.
    /// </summary>
    private static async ValueTask HangAsync(HttpMessage message, bool async)
    {
        if (async)
        {
            await Task.Delay(LongestHang, message.CancellationToken);
        }
        else
        {
            message.CancellationToken.WaitHandle.WaitOne(LongestHang);
            message.CancellationToken.ThrowIfCancellationRequested();
        }

        throw new TaskCanceledException("Injected fault: no answer, and the client's network timeout did not end the wait.");
    }

    private static RequestFailedException Dropped(HttpMessage message, string when) =>
        new(0, $"Injected fault: connection dropped {when} ({message.Request.Method} {message.Request.Uri.Path})", new IOException("Connection reset by peer (injected)."));

    private StorageFault? Decide(HttpMessage message)
    {
        if (Probability == 0 || !_applies(message) || Volatile.Read(ref _claimed) >= _maxFaults)
        {
            return null;
        }

        var key = Key(message);
        var occurrence = _occurrences.AddOrUpdate(key, 1, (_, n) => n + 1);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Seed}\n{key}\n{occurrence}")));
        var draw = BitConverter.ToUInt64(hash, 0) / (double)ulong.MaxValue;
        if (draw >= Probability || Interlocked.Increment(ref _claimed) > _maxFaults)
        {
            return null;
        }

        Interlocked.Increment(ref _faults);

        var kind = _kinds[(int)(BitConverter.ToUInt64(hash, 8) % (ulong)_kinds.Count)];
        _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _log.Enqueue($"{kind} {key} (try {message.ProcessingContext.RetryNumber + 1})");
        return kind;
    }

    /// <summary>Method, path without the account and container (their names are random per run) and query.</summary>
    private static string Key(HttpMessage message)
    {
        var path = message.Request.Uri.Path.TrimStart('/');
        var segments = path.Split('/', 3);
        var rest = segments.Length == 3 ? segments[2] : string.Empty;
        return $"{message.Request.Method} /{rest}{message.Request.Uri.Query}";
    }

    /// <summary>An answer storage never gave: a status, the headers Azure Storage sends with it, an error body.</summary>
    private sealed class InjectedResponse : Response
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

        public InjectedResponse(int status, string reason, string errorCode, string clientRequestId, int? retryAfterSeconds)
        {
            Status = status;
            ReasonPhrase = reason;
            ClientRequestId = clientRequestId;
            _headers["x-ms-error-code"] = errorCode;
            _headers["x-ms-client-request-id"] = clientRequestId;
            _headers["Content-Type"] = "application/xml";
            if (retryAfterSeconds is { } seconds)
            {
                _headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            }

            ContentStream = new MemoryStream(Encoding.UTF8.GetBytes(
                $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{errorCode}</Code><Message>Injected fault: {reason}</Message></Error>"));
        }

        public override int Status { get; }

        public override string ReasonPhrase { get; }

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; }

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => _headers.TryGetValue(name, out value);

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = _headers.TryGetValue(name, out var value) ? [value] : null;
            return values is not null;
        }

        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));
    }
}
