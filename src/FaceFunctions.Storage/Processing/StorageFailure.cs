using Azure;

namespace FaceFunctions.Storage.Processing;

/// <summary>
/// Tells storage failing (after the storage client's own retries: a 5xx or 429 answer, a dropped connection, a
/// network timeout) from a cancellation the caller asked for and from bugs. The client reports an exhausted retry
/// in several shapes: a <see cref="RequestFailedException"/> when the last attempt got an answer, the
/// <see cref="IOException"/> or <see cref="OperationCanceledException"/> itself when only one attempt failed that
/// way, and an <see cref="AggregateException"/> of every attempt's exception otherwise.
/// </summary>
public static class StorageFailure
{
    /// <summary>Whether <paramref name="exception"/> is storage failing rather than a bug or a cancellation asked for through <paramref name="cancellationToken"/>.</summary>
    public static bool Is(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => Is(e, cancellationToken)),
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        RequestFailedException or IOException => true,
        _ => false,
    };

    /// <summary>What failed, in a few words for a log line or a warning (no stack, no request dump).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: > 1 } aggregate =>
            $"{aggregate.InnerExceptions.Count} attempts failed, the last with {Describe(aggregate.InnerExceptions[^1])}",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        RequestFailedException { Status: > 0 } failed => $"{failed.Status} {failed.ErrorCode}".TrimEnd(),
        OperationCanceledException => "a network timeout",
        IOException { InnerException: { } inner } => Describe(inner),
        _ => exception.Message,
    };
}
