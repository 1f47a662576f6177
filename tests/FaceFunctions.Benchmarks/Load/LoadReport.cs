using System.Globalization;

namespace FaceFunctions.Benchmarks.Load;

/// <summary>One block of photos, fed and drained: rate, latency per invocation, memory while it ran and after it.</summary>
internal sealed record LoadBlock(
    int Number,
    int Photos,
    double Megapixels,
    int PixelLimitPhotos,
    double PhotosPerMinute,
    double MedianMs,
    double P95Ms,
    long MaxRssBytes,
    long MaxGcCommittedBytes,
    long RssAfterGcBytes,
    long HeapAfterGcBytes,
    NativeHeapReading NativeAfterGc,
    DateTime EndedUtc,
    string LoadAverage)
{
    public static LoadBlock From(
        int number, IReadOnlyList<PhotoRun> runs, TimeSpan wall, IReadOnlyList<MemorySample> samples, (long Rss, long Heap) after, NativeHeapReading native, string loadAverage)
    {
        var latencies = runs.Select(r => r.LatencyMs).Order().ToArray();
        return new LoadBlock(
            number,
            runs.Count,
            runs.Sum(r => r.Photo.Megapixels),
            runs.Count(r => r.Photo.Kind == LoadPhotoKind.PixelLimit),
            runs.Count / Math.Max(wall.TotalMinutes, 1e-9),
            Percentile(latencies, 0.5),
            Percentile(latencies, 0.95),
            samples.Count == 0 ? 0 : samples.Max(s => s.RssBytes),
            samples.Count == 0 ? 0 : samples.Max(s => s.GcCommittedBytes),
            after.Rss,
            after.Heap,
            native,
            DateTime.UtcNow,
            loadAverage);
    }

    public string Line => string.Create(
        CultureInfo.InvariantCulture,
        $"{Number,5} {Photos,6} {Megapixels,7:F0} {PixelLimitPhotos,6} {PhotosPerMinute,10:F1} {MedianMs,9:F0} {P95Ms,9:F0} {Mb(MaxRssBytes),10:F0} {Mb(MaxGcCommittedBytes),10:F0} {Mb(RssAfterGcBytes),10:F0} {Mb(HeapAfterGcBytes),11:F1} {Mb(NativeAfterGc.InUseBytes),10:F0} {Mb(NativeAfterGc.FreeBytes),10:F0} {NativeAfterGc.Arenas,6} {NativeAfterGc.Threads,7} {EndedUtc:HH:mm:ss} {LoadAverage}");

    /// <summary>Nearest rank: the smallest latency with at least <paramref name="fraction"/> of them at or below it.</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Mb(long bytes) => bytes / 1048576.0;
}

/// <summary>Everything a load run measured, and the verdicts the issue asks for.</summary>
internal sealed record LoadReport(
    LoadOptions Options,
    IReadOnlyList<LoadPhoto> Photos,
    IReadOnlyList<PhotoRun> Runs,
    IReadOnlyList<LoadBlock> Blocks,
    ResultChecks Checks,
    (long Rss, long Heap) Baseline,
    long PeakRssBytes,
    bool PeakCoversRunOnly,
    TimeSpan Wall,
    TimeSpan Cpu,
    TimeSpan AzuriteCpu,
    string LoadBefore,
    string LoadAfter,
    int? AzuriteProcessId)
{
    /// <summary>
    /// The column names of <see cref="LoadBlock.Line"/>, at its widths (memory in MB, latency per invocation in ms). After
    /// GC, the native heap in glibc's account: in use, freed but kept, its arenas (<see cref="NativeHeapReading"/>).
    /// </summary>
    public static string BlockHeader { get; } =
        $"{"block",5} {"photos",6} {"MP",7} {"100MP",6} {"photos/min",10} {"median ms",9} {"p95 ms",9} {"max RSS",10} {"max GC",10} {"RSS aft GC",10} {"heap aft GC",11} {"native use",10} {"nat. free",10} {"arenas",6} {"threads",7} {"ended",8} load average";

    /// <summary>0 when every photo has its committed result and no result is unexpected; 1 otherwise.</summary>
    public int ExitCode => Checks.Missing.Count == 0 && Checks.Unexpected.Count == 0 && Failures.Count == 0 ? 0 : 1;

    public IReadOnlyList<PhotoRun> Failures => [.. Runs.Where(r => r.Failure is not null)];

    public long BudgetBytes => Options.BudgetMegabytes * 1048576L;

    /// <summary>The mix, one line: counts per kind, megapixels.</summary>
    public static string Mix(IReadOnlyList<LoadPhoto> photos)
    {
        var jpegs = photos.Where(p => p.Kind == LoadPhotoKind.Jpeg).Select(p => p.Megapixels).DefaultIfEmpty().ToArray();
        string kinds = string.Join(", ", photos.GroupBy(p => p.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
        string pixelLimit = string.Join(", ", photos.Where(p => p.Kind == LoadPhotoKind.PixelLimit).Select(p => p.Index));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{photos.Count} photos, {photos.Sum(p => p.Megapixels):N0} MP in all (mean {photos.Average(p => p.Megapixels):F2} MP, JPEGs {jpegs.Min():F2}–{jpegs.Max():F2} MP): {kinds}{(pixelLimit.Length > 0 ? $" (pixel-limit ones at upload positions {pixelLimit})" : string.Empty)}");
    }

    public void Write(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        int count = Photos.Count;
        double megapixels = Runs.Sum(r => r.Photo.Megapixels);
        output.WriteLine();
        output.WriteLine("mix: " + Mix(Photos));
        output.WriteLine(string.Create(inv, $"invocations: {Runs.Count} of {count} run; outcomes {string.Join(", ", Runs.Where(r => r.Outcome is not null).GroupBy(r => r.Outcome!.Value).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}; {Failures.Count} threw"));
        foreach (var failure in Failures.Take(10))
        {
            output.WriteLine($"  threw: {failure.Photo.Name}: {failure.Failure}");
        }

        output.WriteLine(string.Create(inv, $"results: {count - Checks.Missing.Count} of {count} photos have a committed document for the uploaded version ({Checks.PhotosWithFaces} with faces, {Checks.Faces} faces in all, {Checks.ErrorDocuments} error documents); missing {Checks.Missing.Count}, unexpected {Checks.Unexpected.Count}"));
        foreach (string name in Checks.Missing.Take(20))
        {
            output.WriteLine($"  missing: {name}");
        }

        foreach (string line in Checks.Unexpected.Take(20))
        {
            output.WriteLine($"  unexpected: {line}");
        }

        var sampledPeak = Blocks.Count == 0 ? 0 : Blocks.Max(b => b.MaxRssBytes);
        output.WriteLine(string.Create(inv, $"memory: peak RSS {LoadRun.Mb(PeakRssBytes)} (VmHWM {(PeakCoversRunOnly ? "reset before the first photo" : "since process start")}; highest 100-ms sample {LoadRun.Mb(sampledPeak)}) against a budget of {LoadRun.Mb(BudgetBytes)}: {(PeakRssBytes <= BudgetBytes ? "under" : "OVER")}; baseline with models loaded {LoadRun.Mb(Baseline.Rss)} RSS, {LoadRun.Mb(Baseline.Heap)} managed"));
        if (Blocks.Count >= 2)
        {
            var first = Blocks[0];
            var last = Blocks[^1];
            output.WriteLine(string.Create(inv, $"growth, block 1 → block {last.Number} (after a full GC, nothing in flight): RSS {LoadRun.Mb(first.RssAfterGcBytes)} → {LoadRun.Mb(last.RssAfterGcBytes)} ({Signed(last.RssAfterGcBytes - first.RssAfterGcBytes)}), managed heap {first.HeapAfterGcBytes / 1048576.0:F1} → {last.HeapAfterGcBytes / 1048576.0:F1} MB ({Signed(last.HeapAfterGcBytes - first.HeapAfterGcBytes)}); max RSS while running {LoadRun.Mb(first.MaxRssBytes)} → {LoadRun.Mb(last.MaxRssBytes)}"));
        }

        double minutes = Wall.TotalMinutes;
        output.WriteLine(string.Create(inv, $"throughput: {Runs.Count} photos in {Wall.TotalSeconds:F0} s wall: {Runs.Count / minutes:F1} photos/min, {megapixels / minutes:F0} MP/min"));
        output.WriteLine(string.Create(inv, $"cpu: this process {Cpu.TotalSeconds:F0} s user+sys = {Cpu.TotalSeconds / Math.Max(1, Runs.Count):F3} s per photo, {Cpu.TotalSeconds / Math.Max(1e-9, megapixels):F3} s per MP; Azurite (node, pid {AzuriteProcessId}) {AzuriteCpu.TotalSeconds:F0} s"));
        output.WriteLine($"load average (1, 5, 15 min): before {LoadBefore}, after {LoadAfter}; {Environment.ProcessorCount} cores");
        output.WriteLine(ExitCode == 0 ? "ok: every photo has its result" : "FAILED: photos without their result (see above)");
    }

    private static string Signed(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{(bytes >= 0 ? "+" : "−")}{Math.Abs(bytes) / 1048576.0:F1} MB");
}
