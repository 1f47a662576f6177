using Azure.Core;
using Azure.Core.Pipeline;

namespace FaceFunctions.Storage.Tests;

/// <summary>Counts every request a client sends (retries included): the storage bill of an operation.</summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
