using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Moves 16 interleaved <see cref="Rgb24"/> pixels (48 bytes) into three float vectors and back, each with one
/// AVX-512 VBMI byte permute. The planes hold the even pixels in lanes 0–7 and the odd ones in lanes 8–15, the
/// order in which 4:2:0 colour blocks pair them up (<see cref="Avx512ChromaRows"/>).
/// </summary>
internal readonly struct RgbPlanes512
{
    private readonly Vector512<byte> _toPlanes;
    private readonly Vector512<byte> _toPixels;

    public RgbPlanes512()
    {
        // Byte i of the planes: plane i / 16 (R, G, B, unused), pixel 2·(i % 16) or, from lane 8 on, the odd ones.
        Span<byte> toPlanes = stackalloc byte[64], toPixels = stackalloc byte[64];
        for (int i = 0; i < 48; i++)
        {
            int plane = i / 16, lane = i % 16;
            int pixel = lane < 8 ? 2 * lane : (2 * (lane - 8)) + 1;
            toPlanes[i] = (byte)((3 * pixel) + plane);
            toPixels[(3 * pixel) + plane] = (byte)i;
        }

        _toPlanes = Vector512.Create<byte>(toPlanes);
        _toPixels = Vector512.Create<byte>(toPixels);
    }

    /// <summary>Whether this CPU runs the permutes natively (otherwise callers take their scalar path).</summary>
    public static bool IsSupported => Avx512Vbmi.IsSupported;

    /// <summary>Pixels <paramref name="x"/> … <paramref name="x"/> + 15 as float planes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(ReadOnlySpan<Rgb24> row, int x, out Vector512<float> r, out Vector512<float> g, out Vector512<float> b)
    {
        ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(row)), 3 * x);
        var pixels = Vector512.Create(
            Vector256.Create(Vector128.LoadUnsafe(ref start), Vector128.LoadUnsafe(ref start, 16)),
            Vector256.Create(Vector128.LoadUnsafe(ref start, 32), Vector128<byte>.Zero));
        Vector512<byte> planes = Avx512Vbmi.PermuteVar64x8(pixels, _toPlanes);
        r = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(planes.GetLower().GetLower()));
        g = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(planes.GetLower().GetUpper()));
        b = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(planes.GetUpper().GetLower()));
    }

    /// <summary>
    /// Rounds the planes to the nearest integer (ties to even, as MathF.Round), clamps them to 0–255 and writes them
    /// over pixels <paramref name="x"/> … <paramref name="x"/> + 15, touching no byte beyond them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Span<Rgb24> row, int x, Vector512<float> r, Vector512<float> g, Vector512<float> b)
    {
        var planes = Vector512.Create(Vector256.Create(ToBytes(r), ToBytes(g)), Vector256.Create(ToBytes(b), Vector128<byte>.Zero));
        Vector512<byte> pixels = Avx512Vbmi.PermuteVar64x8(planes, _toPixels);
        ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(row)), 3 * x);
        pixels.GetLower().StoreUnsafe(ref start);
        pixels.GetUpper().GetLower().StoreUnsafe(ref start, 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ToBytes(Vector512<float> value)
    {
        // vcvtps2dq rounds with the current mode, round-to-nearest-even; vpmovdb then keeps the low byte of each lane.
        Vector512<int> rounded = Avx512F.ConvertToVector512Int32(value);
        return Avx512F.ConvertToVector128Byte(Vector512.Min(Vector512.Max(rounded, Vector512<int>.Zero), Vector512.Create(255)));
    }
}
