namespace FaceFunctions.Detection.Pipeline;

/// <summary>
/// Bytes shared by the photos one process analyses at once. A photo reserves what it will need before it is
/// decoded and gives it back when its results are encoded; a reservation that does not fit waits.
/// </summary>
/// <remarks>
/// Waiters are served strictly first come, first served: a request that does not fit waits, and so does every
/// request after it, even one that would fit. A large photo therefore waits only for the photos admitted before
/// it, never for an endless stream of small ones slipping past. The price is that small photos queued behind a
/// large one wait too, which costs throughput only while a large photo is waiting, and the count limits in front
/// of the pipeline (<c>MaxConcurrentDetections</c>, the CLI's two photos at a time) keep that queue short.
/// Whether a request is granted is decided synchronously, under one lock, by the call that makes it possible
/// (the request itself, a release, or a cancellation ahead of it).
/// </remarks>
internal sealed class MemoryBudget
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private long _available;
    private int _held;
    private int _mostHeld;

    public MemoryBudget(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Capacity = capacityBytes;
        _available = capacityBytes;
    }

    /// <summary>A budget that admits everything at once: memory admission turned off.</summary>
    public static MemoryBudget Unlimited() => new(long.MaxValue);

    public long Capacity { get; }

    public bool IsUnlimited => Capacity == long.MaxValue;

    /// <summary>Bytes not reserved right now.</summary>
    public long Available
    {
        get
        {
            lock (_lock)
            {
                return _available;
            }
        }
    }

    /// <summary>Requests waiting for memory right now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>The most reservations that were ever held at the same time: what admission let run together.</summary>
    public int MostHeldAtOnce
    {
        get
        {
            lock (_lock)
            {
                return _mostHeld;
            }
        }
    }

    /// <summary>
    /// Reserves <paramref name="bytes"/>, waiting (in arrival order) until they are free. Cancelling the token
    /// while waiting gives up the place in the queue. A request larger than the whole budget could never be granted
    /// and is refused at once: callers check <see cref="Capacity"/> first and say why.
    /// </summary>
    public Task<Reservation> ReserveAsync(long bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Capacity);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<Reservation>(cancellationToken);
        }

        lock (_lock)
        {
            if (_queue.Count == 0 && bytes <= _available)
            {
                return Task.FromResult(Grant(bytes));
            }

            var waiter = new Waiter(this, bytes);
            waiter.Node = _queue.AddLast(waiter);
            // Registered under the lock, so no release can grant the waiter before its registration is recorded; a
            // token cancelled meanwhile runs Cancel right here, which re-enters the lock on this thread.
            waiter.Registration = cancellationToken.Register(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
            return waiter.Completion.Task;
        }
    }

    private Reservation Grant(long bytes)
    {
        _available -= bytes;
        _held++;
        _mostHeld = Math.Max(_mostHeld, _held);
        return new Reservation(this, bytes);
    }

    private void Release(long bytes)
    {
        lock (_lock)
        {
            _available += bytes;
            _held--;
            GrantWaiting();
        }
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            // Granted already (it left the queue): the reservation stands, the caller owns it.
            if (waiter.Node?.List is null)
            {
                return;
            }

            _queue.Remove(waiter.Node);
            waiter.Completion.TrySetCanceled(token);
            // The cancelled request may have been the one holding the others back.
            GrantWaiting();
        }
    }

    /// <summary>Grants waiting requests from the head of the queue for as long as the head fits.</summary>
    private void GrantWaiting()
    {
        while (_queue.First is { } head && head.Value.Bytes <= _available)
        {
            _queue.RemoveFirst();
            head.Value.Registration.Unregister();
            // Continuations run asynchronously, so completing under the lock runs no caller code here.
            head.Value.Completion.TrySetResult(Grant(head.Value.Bytes));
        }
    }

    /// <summary>Reserved bytes; Dispose gives them back (once, however often it is called).</summary>
    public sealed class Reservation : IDisposable
    {
        private MemoryBudget? _budget;

        internal Reservation(MemoryBudget budget, long bytes)
        {
            _budget = budget;
            Bytes = bytes;
        }

        public long Bytes { get; }

        public void Dispose() => Interlocked.Exchange(ref _budget, null)?.Release(Bytes);
    }

    private sealed class Waiter(MemoryBudget budget, long bytes)
    {
        public long Bytes => bytes;

        public TaskCompletionSource<Reservation> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel(CancellationToken token) => budget.Cancel(this, token);
    }
}
