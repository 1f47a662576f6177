using System.Diagnostics;
using System.Globalization;

namespace FaceFunctions.Benchmarks.Load;

/// <summary>One reading of this process's memory: resident set (VmRSS), its peak (VmHWM), the GC's committed bytes.</summary>
internal readonly record struct MemorySample(TimeSpan At, long RssBytes, long PeakRssBytes, long GcCommittedBytes);

/// <summary>
/// Reads this process's memory every <see cref="Interval"/> on its own thread, so the readings go on while every
/// pool thread is busy detecting. Resident set is what the instance's memory limit counts: managed heap, ONNX
/// Runtime's arenas, ImageSharp's unmanaged buffers and the runtime itself.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly List<MemorySample> _samples = [];
    private readonly Stopwatch _clock;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    public MemorySampler(Stopwatch clock)
    {
        _clock = clock;
        _thread = new Thread(Run) { IsBackground = true, Name = "load memory sampler" };
        _thread.Start();
    }

    /// <summary>The samples taken between two points of the run's clock.</summary>
    public IReadOnlyList<MemorySample> Between(TimeSpan from, TimeSpan to)
    {
        lock (_samples)
        {
            return [.. _samples.Where(s => s.At >= from && s.At <= to)];
        }
    }

    public IReadOnlyList<MemorySample> All()
    {
        lock (_samples)
        {
            return [.. _samples];
        }
    }

    /// <summary>Stops sampling (after one last sample) and waits for the thread.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    public MemorySample Take()
    {
        var (rss, peak) = ReadStatus();
        return new MemorySample(_clock.Elapsed, rss, peak, GC.GetGCMemoryInfo().TotalCommittedBytes);
    }

    /// <summary>
    /// Resets VmHWM to the current resident set (Linux: "5" into /proc/self/clear_refs), so the peak covers the
    /// photos and not the upload before them. False where the kernel refuses; the peak then starts at process start.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>VmRSS and VmHWM of this process, in bytes (from /proc/self/status, which gives kB).</summary>
    public static (long Rss, long Peak) ReadStatus()
    {
        long rss = 0, peak = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (rss, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    private void Run()
    {
        do
        {
            var sample = Take();
            lock (_samples)
            {
                _samples.Add(sample);
            }
        }
        while (!_stop.Wait(Interval));

        var last = Take();
        lock (_samples)
        {
            _samples.Add(last);
        }
    }
}
