using System.Threading.Channels;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// Gathers the R-Net or O-Net crops of all the photos one worker is detecting at the same moment into one
/// network call. A GPU is idle most of the time on one photo's batches of a few dozen crops; together they fill
/// it. The first request of a batch waits at most <c>window</c> for company, and a batch never exceeds
/// <c>maxCrops</c>, so memory stays bounded.
/// </summary>
internal sealed class MicroBatcher : IRefineRunner
{
    private readonly OnnxNetwork _network;
    private readonly int _size;
    private readonly int _maxCrops;
    private readonly TimeSpan _window;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private int _networkCalls;

    public MicroBatcher(OnnxNetwork network, int size, int maxCrops, TimeSpan window)
    {
        _network = network;
        _size = size;
        _maxCrops = maxCrops;
        _window = window;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>How many network calls the batcher has made: fewer than requests when batching happened.</summary>
    public int NetworkCalls => Volatile.Read(ref _networkCalls);

    public float[][] Run(Memory<float> crops, int count)
    {
        var request = new Request(crops, count, new TaskCompletionSource<float[][]>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(MicroBatcher));
        }

        return request.Done.Task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _requests.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
        _network.Dispose();
    }

    private async Task LoopAsync()
    {
        var reader = _requests.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<Request>();
            int crops = 0;
            using (var wait = new CancellationTokenSource(_window))
            {
                while (crops < _maxCrops)
                {
                    if (reader.TryRead(out var request))
                    {
                        batch.Add(request);
                        crops += request.Count;
                        continue;
                    }

                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            RunBatch(batch, crops);
        }
    }

    private void RunBatch(List<Request> batch, int crops)
    {
        try
        {
            int slot = 3 * _size * _size;
            var input = new float[crops * slot];
            int offset = 0;
            foreach (var request in batch)
            {
                request.Crops.Span[..(request.Count * slot)].CopyTo(input.AsSpan(offset * slot));
                offset += request.Count;
            }

            var outputs = _network.RunToArrays(input, [crops, 3, _size, _size]);
            Interlocked.Increment(ref _networkCalls);
            offset = 0;
            foreach (var request in batch)
            {
                // Each output has the same number of values per crop; hand every request its own rows.
                request.Done.SetResult(outputs.Select(o =>
                {
                    int perCrop = o.Length / crops;
                    return o.AsSpan(offset * perCrop, request.Count * perCrop).ToArray();
                }).ToArray());
                offset += request.Count;
            }
        }
        catch (Exception ex)
        {
            foreach (var request in batch)
            {
                request.Done.TrySetException(ex);
            }
        }
    }

    private sealed record Request(Memory<float> Crops, int Count, TaskCompletionSource<float[][]> Done);
}
