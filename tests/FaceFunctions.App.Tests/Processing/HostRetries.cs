using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>One invocation that threw: which item, which attempt, what.</summary>
internal sealed record FailedAttempt(string Item, int Attempt, Exception Failure);

/// <summary>
/// The blob extension's retry rule, played by the test: an event whose invocation throws is invoked again, up to
/// poisonBlobThreshold attempts, then poisoned. Events run <c>parallelism</c> at a time (host.json
/// maxDegreeOfParallelism).
/// </summary>
internal sealed class BlobTriggerHost(Func<string, Task> invoke, int poisonBlobThreshold, int parallelism)
{
    private readonly ConcurrentQueue<FailedAttempt> _failures = new();
    private readonly ConcurrentDictionary<string, int> _invocations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _poisoned = new(StringComparer.Ordinal);

    public IReadOnlyList<FailedAttempt> Failures => [.. _failures];

    /// <summary>Photos whose events in their latest delivery were all poisoned: their result may be missing.</summary>
    public IReadOnlySet<string> Poisoned => _poisoned;

    public int Invocations => _invocations.Values.Sum();

    /// <summary>The most invocations one event took.</summary>
    public int MostAttempts { get; private set; }

    public string Summary => $"{Invocations} invocations, {_failures.Count} failed, {_poisoned.Count} photos poisoned, at most {MostAttempts} attempts for one event";

    /// <summary>Delivers these events (a name twice is a duplicate event) and waits until each succeeded or was poisoned.</summary>
    public async Task DeliverAsync(IReadOnlyList<string> events)
    {
        var succeeded = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var poisoned = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var most = 0;
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (name, cancellation) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                _invocations.AddOrUpdate(name, 1, (_, n) => n + 1);
                InterlockedMax(ref most, attempt);
                try
                {
                    await invoke(name);
                    succeeded[name] = true;
                    return;
                }
                catch (Exception e)
                {
                    _failures.Enqueue(new FailedAttempt(name, attempt, e));
                    if (attempt == poisonBlobThreshold)
                    {
                        poisoned[name] = true;
                        return;
                    }
                }
            }
        });

        MostAttempts = Math.Max(MostAttempts, most);
        foreach (var name in events)
        {
            if (succeeded.ContainsKey(name))
            {
                _poisoned.Remove(name);
            }
            else if (poisoned.ContainsKey(name))
            {
                _poisoned.Add(name);
            }
        }
    }

    internal static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
            // Another thread raised it meanwhile: compare again.
        }
    }
}

/// <summary>
/// The queue extension, played by the test over real Azurite queues: <c>consumers</c> at a time receive a message,
/// invoke its function, and delete it when the function returned. A function that throws gets the message again
/// at once (the real host waits visibilityTimeout), until maxDequeueCount attempts, after which the message is
/// poisoned. Delivery is at least once: a seeded share of successful invocations lose their delete, so the message
/// comes back (a duplicate), as when a worker dies between returning and deleting.
/// </summary>
internal sealed class QueueHost(int maxDequeueCount, int seed, double lostDeletes)
{
    private readonly ConcurrentQueue<FailedAttempt> _failures = new();
    private readonly ConcurrentQueue<(string Queue, QueueMessage Message)> _poisoned = new();
    private readonly Random _random = new(seed);
    private readonly Lock _randomLock = new();
    private int _invocations;
    private int _duplicates;
    private int _inFlight;
    private int _mostDequeues;

    public IReadOnlyList<FailedAttempt> Failures => [.. _failures];

    public IReadOnlyList<(string Queue, QueueMessage Message)> Poisoned => [.. _poisoned];

    public int MostDequeues => Volatile.Read(ref _mostDequeues);

    public string Summary =>
        $"{Volatile.Read(ref _invocations)} invocations, {_failures.Count} failed, {Volatile.Read(ref _duplicates)} deletes lost (redelivered), " +
        $"{_poisoned.Count} messages poisoned, at most {MostDequeues} deliveries of one message";

    /// <summary>Runs until every queue is empty and no invocation is running; the first queue listed is polled first.</summary>
    public async Task RunAsync(int consumers, IReadOnlyList<(QueueClient Queue, Func<QueueMessage, Task> Invoke)> queues)
    {
        await Task.WhenAll(Enumerable.Range(0, consumers).Select(_ => Task.Run(() => ConsumeAsync(queues))));
    }

    private async Task ConsumeAsync(IReadOnlyList<(QueueClient Queue, Func<QueueMessage, Task> Invoke)> queues)
    {
        while (true)
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                var received = false;
                foreach (var (queue, invoke) in queues)
                {
                    var messages = (await queue.ReceiveMessagesAsync(maxMessages: 1, visibilityTimeout: TimeSpan.FromMinutes(5))).Value;
                    if (messages.Length == 1)
                    {
                        received = true;
                        await HandleAsync(queue, invoke, messages[0]);
                        break;
                    }
                }

                if (received)
                {
                    continue;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }

            if (Volatile.Read(ref _inFlight) == 0 && await AllEmptyAsync(queues))
            {
                return;
            }

            await Task.Delay(50);
        }
    }

    private async Task HandleAsync(QueueClient queue, Func<QueueMessage, Task> invoke, QueueMessage message)
    {
        BlobTriggerHost.InterlockedMax(ref _mostDequeues, (int)message.DequeueCount);
        if (message.DequeueCount > maxDequeueCount)
        {
            await PoisonAsync(queue, message);
            return;
        }

        Interlocked.Increment(ref _invocations);
        try
        {
            await invoke(message);
        }
        catch (Exception e)
        {
            _failures.Enqueue(new FailedAttempt(message.Body.ToString(), (int)message.DequeueCount, e));
            if (message.DequeueCount >= maxDequeueCount)
            {
                await PoisonAsync(queue, message);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, message.Body, TimeSpan.Zero);
            }

            return;
        }

        if (LoseDelete())
        {
            Interlocked.Increment(ref _duplicates);
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, message.Body, TimeSpan.Zero);
        }
        else
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
    }

    private async Task PoisonAsync(QueueClient queue, QueueMessage message)
    {
        _poisoned.Enqueue((queue.Name, message));
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }

    private bool LoseDelete()
    {
        lock (_randomLock)
        {
            return _random.NextDouble() < lostDeletes;
        }
    }

    private static async Task<bool> AllEmptyAsync(IReadOnlyList<(QueueClient Queue, Func<QueueMessage, Task> Invoke)> queues)
    {
        foreach (var (queue, _) in queues)
        {
            if ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                return false;
            }
        }

        return true;
    }
}
