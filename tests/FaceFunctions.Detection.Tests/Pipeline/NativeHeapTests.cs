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
}
