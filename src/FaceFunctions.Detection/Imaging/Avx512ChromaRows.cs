using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// <see cref="ChromaUpsampling"/>'s rows 16 pixels at a time in one <see cref="Vector512{T}"/> per colour, moved
/// between interleaved pixels and planes by one AVX-512 VBMI byte permute (<see cref="RgbPlanes512"/>). The float
/// operations are the per-pixel code's, in its order.
/// </summary>
internal sealed class Avx512ChromaRows : IChromaRows
{
    private readonly RgbPlanes512 _planes = new();

    /// <summary>Whether this CPU runs the permutes natively.</summary>
    public static bool IsSupported => RgbPlanes512.IsSupported;

    /// <summary>
    /// The planes come as [8 even pixels, 8 odd pixels], so the lower and upper halves are the two columns of 8 blocks,
    /// summed in the per-pixel code's order: top left, top right, bottom left, bottom right.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadBlocks(ReadOnlySpan<Rgb24> top, ReadOnlySpan<Rgb24> bottom, Span<int> cb, Span<int> cr)
    {
        bool twoRows = !bottom.IsEmpty;
        // Dividing by 4 or 2 and multiplying by 1/4 or 1/2 give the same float exactly (powers of two); the multiply is cheaper.
        var reciprocal = Vector256.Create(twoRows ? 0.25f : 0.5f);
        int chunks = top.Length / 16;
        for (int c = 0; c < chunks; c++)
        {
            _planes.Load(top, 16 * c, out var r, out var g, out var b);
            Vector512<float> cbPixels = CbOf(r, g, b), crPixels = CrOf(r, g, b);
            Vector256<float> cbSum = cbPixels.GetLower() + cbPixels.GetUpper();
            Vector256<float> crSum = crPixels.GetLower() + crPixels.GetUpper();
            if (twoRows)
            {
                _planes.Load(bottom, 16 * c, out r, out g, out b);
                cbPixels = CbOf(r, g, b);
                crPixels = CrOf(r, g, b);
                cbSum = cbSum + cbPixels.GetLower() + cbPixels.GetUpper();
                crSum = crSum + crPixels.GetLower() + crPixels.GetUpper();
            }

            // vcvtps2dq rounds with the current mode, round-to-nearest-even: MathF.Round's.
            Avx.ConvertToVector256Int32(cbSum * reciprocal).StoreUnsafe(ref MemoryMarshal.GetReference(cb), (nuint)(8 * c));
            Avx.ConvertToVector256Int32(crSum * reciprocal).StoreUnsafe(ref MemoryMarshal.GetReference(cr), (nuint)(8 * c));
        }

        return 8 * chunks;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int WritePixels(Span<Rgb24> row, ReadOnlySpan<int> cbSums, ReadOnlySpan<int> crSums)
    {
        var offset = Vector512.Create(128f);
        int chunks = row.Length / 16;
        for (int c = 0; c < chunks; c++)
        {
            // In plane order: the 8 even pixels' samples, then the 8 odd pixels'.
            ChromaUpsampling.Horizontal8(cbSums, 8 * c, out var cbEven, out var cbOdd);
            ChromaUpsampling.Horizontal8(crSums, 8 * c, out var crEven, out var crOdd);
            Vector512<float> b = Vector512.ConvertToSingle(Vector512.Create(cbEven, cbOdd)) - offset;
            Vector512<float> r = Vector512.ConvertToSingle(Vector512.Create(crEven, crOdd)) - offset;
            _planes.Load(row, 16 * c, out var red, out var green, out var blue);
            Vector512<float> luma = (0.299f * red) + (0.587f * green) + (0.114f * blue);
            _planes.Store(
                row,
                16 * c,
                luma + (1.402f * r),
                luma - (0.344136f * b) - (0.714136f * r),
                luma + (1.772f * b));
        }

        return 16 * chunks;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> CbOf(Vector512<float> r, Vector512<float> g, Vector512<float> b) =>
        Vector512.Create(128f) - (0.168736f * r) - (0.331264f * g) + (0.5f * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> CrOf(Vector512<float> r, Vector512<float> g, Vector512<float> b) =>
        Vector512.Create(128f) + (0.5f * r) - (0.418688f * g) - (0.081312f * b);
}
