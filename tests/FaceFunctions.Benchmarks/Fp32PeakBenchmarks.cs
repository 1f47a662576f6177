using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace FaceFunctions.Benchmarks;

/// <summary>
/// The machine's FP32 peak, the yardstick for P-Net's useful GFLOP/s (docs/performance.md): a loop of fused
/// multiply-adds on 16 independent accumulators (enough to cover FMA latency × the FMA pipes), nothing else. Each
/// benchmark counts its FLOPs as operations, so BenchmarkDotNet's "Mean" is the time per FLOP and 1 / Mean (ns) is
/// GFLOP/s. One core, then every core at once (one accumulator set per core).
/// </summary>
public class Fp32PeakBenchmarks
{
    private const int Iterations = 1 << 20;
    private const int Accumulators = 16;
    private const int Flops512 = Iterations * Accumulators * 16 * 2;
    private const int Flops256 = Iterations * Accumulators * 8 * 2;

    [Benchmark(OperationsPerInvoke = Flops512, Description = "Vector512 FMA, one core")]
    public float Vector512OneCore() => Fma512();

    [Benchmark(OperationsPerInvoke = Flops256, Description = "Vector256 FMA, one core")]
    public float Vector256OneCore() => Fma256();

    [Benchmark(OperationsPerInvoke = Flops512, Description = "Vector512 FMA, all cores (per FLOP of one core's share)")]
    public float Vector512AllCores()
    {
        int cores = Environment.ProcessorCount;
        var sums = new float[cores];
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, i => sums[i] = Fma512());
        return sums.Sum();
    }

    private static float Fma512()
    {
        var a = Vector512.Create(1.0000001f);
        var b = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(0f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        Vector512<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b);
            c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b);
            c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b);
            c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b);
            c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b);
            c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b);
            c11 = Vector512.FusedMultiplyAdd(c11, a, b);
            c12 = Vector512.FusedMultiplyAdd(c12, a, b);
            c13 = Vector512.FusedMultiplyAdd(c13, a, b);
            c14 = Vector512.FusedMultiplyAdd(c14, a, b);
            c15 = Vector512.FusedMultiplyAdd(c15, a, b);
        }

        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
        return Vector512.Sum(sum);
    }

    private static float Fma256()
    {
        var a = Vector256.Create(1.0000001f);
        var b = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256.Create(0f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        Vector256<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b);
            c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b);
            c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b);
            c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b);
            c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b);
            c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b);
            c11 = Vector256.FusedMultiplyAdd(c11, a, b);
            c12 = Vector256.FusedMultiplyAdd(c12, a, b);
            c13 = Vector256.FusedMultiplyAdd(c13, a, b);
            c14 = Vector256.FusedMultiplyAdd(c14, a, b);
            c15 = Vector256.FusedMultiplyAdd(c15, a, b);
        }

        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
        return Vector256.Sum(sum);
    }
}
