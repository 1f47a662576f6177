using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// <see cref="ChromaUpsampling"/>'s rows 16 pixels at a time on CPUs with AVX2 but no AVX-512: each colour of the
/// 8 even and of the 8 odd pixels in a <see cref="Vector256{T}"/> of its own (<see cref="RgbPlanes256"/>), the even
/// pixels being the left column of 8 colour blocks and the odd ones the right. The float operations are the
/// per-pixel code's, in its order, with no fused multiply-adds.
/// </summary>
internal sealed class Avx2ChromaRows : IChromaRows
{
    private readonly RgbPlanes256 _planes = new();

    /// <summary>Whether this CPU runs the shuffles natively.</summary>
    public static bool IsSupported => RgbPlanes256.IsSupported;

    /// <summary>Sums each block in the per-pixel code's order: top left, top right, bottom left, bottom right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadBlocks(ReadOnlySpan<Rgb24> top, ReadOnlySpan<Rgb24> bottom, Span<int> cb, Span<int> cr)
    {
        bool twoRows = !bottom.IsEmpty;
        // Dividing by 4 or 2 and multiplying by 1/4 or 1/2 give the same float exactly (powers of two); the multiply is cheaper.
        var reciprocal = Vector256.Create(twoRows ? 0.25f : 0.5f);
        int chunks = top.Length / 16;
        for (int c = 0; c < chunks; c++)
        {
            _planes.Load(top, 16 * c, out var redEven, out var redOdd, out var greenEven, out var greenOdd, out var blueEven, out var blueOdd);
            Vector256<float> cbSum = CbOf(redEven, greenEven, blueEven) + CbOf(redOdd, greenOdd, blueOdd);
            Vector256<float> crSum = CrOf(redEven, greenEven, blueEven) + CrOf(redOdd, greenOdd, blueOdd);
            if (twoRows)
            {
                _planes.Load(bottom, 16 * c, out redEven, out redOdd, out greenEven, out greenOdd, out blueEven, out blueOdd);
                cbSum = cbSum + CbOf(redEven, greenEven, blueEven) + CbOf(redOdd, greenOdd, blueOdd);
                crSum = crSum + CrOf(redEven, greenEven, blueEven) + CrOf(redOdd, greenOdd, blueOdd);
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
        var offset = Vector256.Create(128f);
        int chunks = row.Length / 16;
        for (int c = 0; c < chunks; c++)
        {
            ChromaUpsampling.Horizontal8(cbSums, 8 * c, out var cbEven, out var cbOdd);
            ChromaUpsampling.Horizontal8(crSums, 8 * c, out var crEven, out var crOdd);
            _planes.Load(row, 16 * c, out var redEven, out var redOdd, out var greenEven, out var greenOdd, out var blueEven, out var blueOdd);

            Vector256<float> b = Vector256.ConvertToSingle(cbEven) - offset, r = Vector256.ConvertToSingle(crEven) - offset;
            Vector256<float> luma = (0.299f * redEven) + (0.587f * greenEven) + (0.114f * blueEven);
            redEven = luma + (1.402f * r);
            greenEven = luma - (0.344136f * b) - (0.714136f * r);
            blueEven = luma + (1.772f * b);

            b = Vector256.ConvertToSingle(cbOdd) - offset;
            r = Vector256.ConvertToSingle(crOdd) - offset;
            luma = (0.299f * redOdd) + (0.587f * greenOdd) + (0.114f * blueOdd);
            redOdd = luma + (1.402f * r);
            greenOdd = luma - (0.344136f * b) - (0.714136f * r);
            blueOdd = luma + (1.772f * b);

            _planes.Store(row, 16 * c, redEven, redOdd, greenEven, greenOdd, blueEven, blueOdd);
        }

        return 16 * chunks;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> CbOf(Vector256<float> r, Vector256<float> g, Vector256<float> b) =>
        Vector256.Create(128f) - (0.168736f * r) - (0.331264f * g) + (0.5f * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> CrOf(Vector256<float> r, Vector256<float> g, Vector256<float> b) =>
        Vector256.Create(128f) + (0.5f * r) - (0.418688f * g) - (0.081312f * b);
}
