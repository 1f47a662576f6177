using System.Diagnostics;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>Splits the elapsed time of one detection into stages.</summary>
internal struct StageTimer
{
    public double Pyramid;
    public double PNet;
    public double RNet;
    public double ONet;
    private long _last;

    public static StageTimer Start() => new() { _last = Stopwatch.GetTimestamp() };

    /// <summary>Ends a stage whose wall time is shared between two kinds of work, in proportion to their busy time.</summary>
    public void Split(ref double first, ref double second, long firstTicks, long secondTicks)
    {
        long now = Stopwatch.GetTimestamp();
        double wall = Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
        double share = firstTicks + secondTicks == 0 ? 0 : (double)firstTicks / (firstTicks + secondTicks);
        first += wall * share;
        second += wall * (1 - share);
        _last = now;
    }

    public void Lap(ref double stage)
    {
        long now = Stopwatch.GetTimestamp();
        stage += Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
        _last = now;
    }
}
