using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>Runs the real pipeline and records how many photos it processed at once.</summary>
internal sealed class ConcurrencyRecordingPipeline(IPhotoPipeline inner) : IPhotoPipeline
{
    private int _running;
    private int _maxConcurrent;
    private int _calls;

    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    public int Calls => Volatile.Read(ref _calls);

    public DetectorInfo Detector => inner.Detector;

    public async Task<PhotoResult> ProcessAsync(Stream photo, string sourceName, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var running = Interlocked.Increment(ref _running);
        try
        {
            int seen;
            while (running > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, running, seen) != seen)
            {
                // Another thread raised the maximum meanwhile: compare again.
            }

            return await inner.ProcessAsync(photo, sourceName, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public void Dispose()
    {
        // The inner pipeline belongs to the fixture.
    }
}
