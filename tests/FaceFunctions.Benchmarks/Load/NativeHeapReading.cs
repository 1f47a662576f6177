using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace FaceFunctions.Benchmarks.Load;

/// <summary>
/// glibc's own account of the native heap, and the thread count. It tells a resident set that grows because native
/// allocations are still held (in use rises) from one that grows because glibc keeps what was freed (free rises),
/// and from threads that each bring an arena. Zeros where glibc is absent (not Linux, musl).
/// </summary>
/// <param name="InUseBytes">Allocated and not freed, in every arena (<c>mallinfo2</c> uordblks), plus mmapped chunks.</param>
/// <param name="FreeBytes">Freed but kept by glibc in its arenas (fordblks): resident unless trimmed or never touched.</param>
/// <param name="MappedBytes">Large allocations glibc serves with mmap of their own (hblkhd); given back when freed.</param>
/// <param name="Arenas">Arenas glibc has made (the main one and one per thread that found the others busy).</param>
/// <param name="Threads">Threads of this process.</param>
internal readonly partial record struct NativeHeapReading(long InUseBytes, long FreeBytes, long MappedBytes, int Arenas, int Threads)
{
    public static NativeHeapReading Take()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        int threads = self.Threads.Count;
        if (!OperatingSystem.IsLinux())
        {
            return new NativeHeapReading(0, 0, 0, 0, threads);
        }

        try
        {
            var info = MallInfo2();
            return new NativeHeapReading((long)(info.Uordblks + info.Hblkhd), (long)info.Fordblks, (long)info.Hblkhd, CountArenas(), threads);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return new NativeHeapReading(0, 0, 0, 0, threads);
        }
    }

    /// <summary>The <c>&lt;heap nr=…&gt;</c> elements of <c>malloc_info</c>'s XML, which glibc writes only to a FILE*.</summary>
    private static int CountArenas()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ff-malloc-info-{Environment.ProcessId}.xml");
        try
        {
            nint file = FOpen(path, "w");
            if (file == 0)
            {
                return 0;
            }

            _ = MallocInfo(0, file);
            _ = FClose(file);
            return HeapElement().Count(File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex("<heap nr=", RegexOptions.CultureInvariant)]
    private static partial Regex HeapElement();

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2Struct
    {
        public readonly nuint Arena;
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;
        public readonly nuint Hblkhd;
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;
        public readonly nuint Fordblks;
        public readonly nuint Keepcost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo2Struct MallInfo2();

    [LibraryImport("libc", EntryPoint = "malloc_info")]
    private static partial int MallocInfo(int options, nint stream);

    [LibraryImport("libc", EntryPoint = "fopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint FOpen(string path, string mode);

    [LibraryImport("libc", EntryPoint = "fclose")]
    private static partial int FClose(nint stream);
}
