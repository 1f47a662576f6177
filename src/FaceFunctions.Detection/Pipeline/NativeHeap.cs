using System.Runtime.InteropServices;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>
/// Gives freed native memory back to the operating system after a large photo. ImageSharp's pixel buffers and ONNX
/// Runtime's tensors are native allocations, and glibc keeps what they free in its arenas: after the 100-megapixel
/// photos of the load run a process stayed about 650 MB larger for good (docs/reliability.md, "Load"), memory the
/// instance no longer had for anything but our own next photos. <c>malloc_trim</c> returns the free pages of every
/// arena; it costs milliseconds, so it runs only after photos that reserved a lot.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Photos whose memory reservation reached this trim the native heap when they are done.</summary>
    public const long TrimAfterBytes = 512L * 1024 * 1024;

    private static volatile bool unavailable = !OperatingSystem.IsLinux();

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

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
