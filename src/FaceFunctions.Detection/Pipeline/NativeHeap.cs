using System.Runtime.InteropServices;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>
/// Keeps glibc from holding on to the native memory photos free. ImageSharp's pixel buffers, our decoder's planes and
/// ONNX Runtime's tensors are native allocations of up to hundreds of megabytes, freed as soon as a photo is done.
/// glibc keeps what is freed in its arenas in two cases, and both made an idle worker's resident set grow photo after
/// photo (docs/reliability.md, "Load"): free pages inside an arena (after the 100-megapixel photos, about 650 MB for
/// good), and the sliding threshold below which it serves large blocks from the arenas instead of mmap.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Photos whose memory reservation reached this trim the native heap when they are done.</summary>
    public const long TrimAfterBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Blocks of this size and more get an mmap of their own, which free gives straight back to the system. glibc's
    /// default starts at 128 KiB but rises to the size of every mmapped block freed (up to 32 MiB), and the arenas'
    /// trim threshold to twice that; after a few photos, blocks of tens of megabytes came from the arenas and up to
    /// 64 MiB of free memory stayed in each of them (16 arenas on two cores). Setting the threshold fixes both. 1 MiB
    /// keeps the many small allocations (crops, tensors of a P-Net tile's rows) in the arenas, where reuse is cheap.
    /// </summary>
    public const int MmapThresholdBytes = 1024 * 1024;

    /// <summary>mallopt's parameter number for the mmap threshold (malloc.h).</summary>
    private const int MMmapThreshold = -3;

    private static readonly Lazy<bool> Configured = new(FixMmapThreshold);

    private static volatile bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// Fixes glibc's mmap threshold once per process (<see cref="MmapThresholdBytes"/>) unless the environment sets it
    /// (MALLOC_MMAP_THRESHOLD_, or GLIBC_TUNABLES with glibc.malloc.mmap_threshold), which wins. With another C library
    /// (musl) it does nothing. True when the threshold is ours (set by this call or an earlier one).
    /// </summary>
    public static bool Configure() => Configured.Value;

    public static void Trim()
    {
        if (unavailable)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): nothing to trim with, so stop trying.
            unavailable = true;
        }
    }

    private static bool FixMmapThreshold()
    {
        if (unavailable
            || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
            || Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.mmap_threshold", StringComparison.Ordinal) == true)
        {
            return false;
        }

        try
        {
            return MallOpt(MMmapThreshold, MmapThresholdBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
