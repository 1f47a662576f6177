using System.Runtime.InteropServices;
using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.Detection.Tests.Pipeline;

public sealed class NativeHeapTests
{
    [Fact]
    public void Trimming_the_native_heap_is_safe_to_call_repeatedly_and_from_several_threads()
    {
        // glibc here: the call reaches malloc_trim; elsewhere it must quietly do nothing. What it returns to the OS
        // is measured by the load run (docs/reliability.md, "Load"), not here.
        Parallel.For(0, 8, _ => NativeHeap.Trim());
        NativeHeap.Trim();
    }

    [Fact]
    public void After_a_large_block_is_freed_blocks_of_a_few_megabytes_still_get_an_mmap_of_their_own()
    {
        // glibc's default raises its mmap threshold to the size of a freed mmapped block (up to 32 MiB): after a
        // 16-MiB buffer, a 4-MiB one would come from an arena and, freed, stay in the process. That is how the load
        // run's resident set grew photo after photo (docs/reliability.md, "Load"). Configured, the threshold stays put.
        if (!IsGlibc()
            || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
            || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null)
        {
            // Not glibc's heap, or the environment sets the threshold itself (and wins).
            return;
        }

        Assert.True(NativeHeap.Configure(), "glibc's mmap threshold was not set.");
        Marshal.FreeHGlobal(Touch(Marshal.AllocHGlobal(16 << 20), 16 << 20));
        nint block = Touch(Marshal.AllocHGlobal(4 << 20), 4 << 20);
        try
        {
            Assert.True(IsMmapped(block), "A 4-MiB block after a freed 16-MiB one came from an arena.");
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    private static nint Touch(nint block, int bytes)
    {
        for (int offset = 0; offset < bytes; offset += 4096)
        {
            Marshal.WriteByte(block, offset, 1);
        }

        return block;
    }

    /// <summary>glibc marks a chunk it mapped of its own with bit 1 (IS_MMAPPED) of the size word just before it.</summary>
    private static bool IsMmapped(nint block) => (Marshal.ReadInt64(block, -8) & 2) != 0;

    private static bool IsGlibc() => NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _);
}
