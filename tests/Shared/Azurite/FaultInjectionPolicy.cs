using Azure.Core;
using Azure.Core.Pipeline;

namespace FaceFunctions.Tests.Shared.Azurite;

/// <summary>
/// Lets the first <paramref name="allowed"/> requests that match <paramref name="matches"/> through, then runs
/// <paramref name="onTrip"/> once (for instance: stop Azurite) and, unless <paramref name="failAfterTrip"/> is
/// false, fails every later matching request as a dropped connection would. Deterministic "storage went away in
/// the middle of writing".
/// </summary>
public sealed class FaultInjectionPolicy(Func<HttpMessage, bool> matches, int allowed, Action? onTrip = null, bool failAfterTrip = true) : HttpPipelineSynchronousPolicy
{
    private int _seen;

    public bool Tripped => Volatile.Read(ref _seen) > allowed;

    public override void OnSendingRequest(HttpMessage message)
    {
        if (!matches(message))
        {
            return;
        }

        var seen = Interlocked.Increment(ref _seen);
        if (seen == allowed + 1)
        {
            onTrip?.Invoke();
        }

        if (seen > allowed && failAfterTrip)
        {
            throw new IOException($"Injected fault: connection dropped before {message.Request.Method} {message.Request.Uri}");
        }
    }
}
