using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Moves 16 interleaved <see cref="Rgb24"/> pixels (48 bytes) into six float vectors, the 8 even and the 8 odd
/// pixels of each colour (the columns 4:2:0 colour blocks pair up, <see cref="Avx2ChromaRows"/>), and back, with AVX2
/// byte shuffles. The shuffle (vpshufb) moves bytes only within each 128-bit half of a vector, and the lower half of
/// every plane holds pixels 0–7 (bytes 0–23 of the 48), the upper half pixels 8–15 (bytes 24–47). So the pixels are
/// loaded as two vectors whose halves hold what the same half of the planes needs: the first and the last 16 bytes
/// (the "ends") in one, the middle 16 bytes in both halves of the other. Each plane is then one shuffle of each,
/// or-ed, the shuffle also zeroing the upper three bytes of every 32-bit lane, so it is already an int per pixel.
/// </summary>
internal readonly struct RgbPlanes256
{
    private readonly PlaneMasks _redEven, _redOdd, _greenEven, _greenOdd, _blueEven, _blueOdd;
    private readonly Vector256<byte> _redGreenToEnds, _blueToEnds, _redGreenToMiddle, _blueToMiddle;

    public RgbPlanes256()
    {
        _redEven = PlaneMasks.For(0, 0);
        _redOdd = PlaneMasks.For(0, 1);
        _greenEven = PlaneMasks.For(1, 0);
        _greenOdd = PlaneMasks.For(1, 1);
        _blueEven = PlaneMasks.For(2, 0);
        _blueOdd = PlaneMasks.For(2, 1);

        // Store packs each colour to bytes in the order [even 0–3, odd 0–3 | even 4–7, odd 4–7] of each plane: in
        // each half, red and green in one vector (bytes 0–7 red, 8–15 green), blue in the other (bytes 0–7, repeated).
        // The ends: the lower half gives output bytes 0–15, the upper half bytes 32–47. The middle bytes 16–31 come
        // from both halves (pixels 5–7 and 8–10): the lower half gives bytes 16–23 in its bytes 0–7, the upper half
        // bytes 24–31 in its bytes 8–15, and the two halves are or-ed.
        Span<byte> redGreenEnds = stackalloc byte[32], blueEnds = stackalloc byte[32], redGreenMiddle = stackalloc byte[32], blueMiddle = stackalloc byte[32];
        for (int half = 0; half < 2; half++)
        {
            for (int i = 0; i < 16; i++)
            {
                int at = (16 * half) + i;
                SetSource((32 * half) + i, half, redGreenEnds, blueEnds, at);
                bool inMiddle = i / 8 == half;
                redGreenMiddle[at] = blueMiddle[at] = Zero;
                if (inMiddle)
                {
                    SetSource(16 + i, half, redGreenMiddle, blueMiddle, at);
                }
            }
        }

        _redGreenToEnds = Vector256.Create<byte>(redGreenEnds);
        _blueToEnds = Vector256.Create<byte>(blueEnds);
        _redGreenToMiddle = Vector256.Create<byte>(redGreenMiddle);
        _blueToMiddle = Vector256.Create<byte>(blueMiddle);
    }

    /// <summary>Whether this CPU runs the shuffles natively (otherwise callers take their scalar path).</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>A shuffle index with the top bit set writes a zero byte.</summary>
    private const byte Zero = 0x80;

    /// <summary>Pixels <paramref name="x"/> … <paramref name="x"/> + 15 as float planes, even and odd pixels apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(
        ReadOnlySpan<Rgb24> row,
        int x,
        out Vector256<float> redEven,
        out Vector256<float> redOdd,
        out Vector256<float> greenEven,
        out Vector256<float> greenOdd,
        out Vector256<float> blueEven,
        out Vector256<float> blueOdd)
    {
        ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(row)), 3 * x);
        var ends = Vector256.Create(Vector128.LoadUnsafe(ref start), Vector128.LoadUnsafe(ref start, 32));
        var middle = Vector128.LoadUnsafe(ref start, 16);
        var middles = Vector256.Create(middle, middle);
        redEven = _redEven.Gather(ends, middles);
        redOdd = _redOdd.Gather(ends, middles);
        greenEven = _greenEven.Gather(ends, middles);
        greenOdd = _greenOdd.Gather(ends, middles);
        blueEven = _blueEven.Gather(ends, middles);
        blueOdd = _blueOdd.Gather(ends, middles);
    }

    /// <summary>
    /// Rounds the planes to the nearest integer (ties to even, as MathF.Round), clamps them to 0–255 and writes them
    /// over pixels <paramref name="x"/> … <paramref name="x"/> + 15, touching no byte beyond them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(
        Span<Rgb24> row,
        int x,
        Vector256<float> redEven,
        Vector256<float> redOdd,
        Vector256<float> greenEven,
        Vector256<float> greenOdd,
        Vector256<float> blueEven,
        Vector256<float> blueOdd)
    {
        // The packs saturate, to −32768–32767 and then to 0–255: the clamp, exactly, for any int.
        Vector256<short> blue = ToShorts(blueEven, blueOdd);
        Vector256<byte> redGreen = Avx2.PackUnsignedSaturate(ToShorts(redEven, redOdd), ToShorts(greenEven, greenOdd));
        Vector256<byte> blues = Avx2.PackUnsignedSaturate(blue, blue);
        Vector256<byte> ends = Avx2.Shuffle(redGreen, _redGreenToEnds) | Avx2.Shuffle(blues, _blueToEnds);
        Vector256<byte> middle = Avx2.Shuffle(redGreen, _redGreenToMiddle) | Avx2.Shuffle(blues, _blueToMiddle);
        ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(row)), 3 * x);
        ends.GetLower().StoreUnsafe(ref start);
        (middle.GetLower() | middle.GetUpper()).StoreUnsafe(ref start, 16);
        ends.GetUpper().StoreUnsafe(ref start, 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> ToShorts(Vector256<float> even, Vector256<float> odd) =>
        // vcvtps2dq rounds with the current mode, round-to-nearest-even.
        Avx2.PackSignedSaturate(Avx.ConvertToVector256Int32(even), Avx.ConvertToVector256Int32(odd));

    /// <summary>
    /// Where output byte <paramref name="output"/> (0–47) of the pixels comes from after the packs in
    /// <see cref="Store"/>, which leave pixel 8·half + i in each half at byte i / 2 (even i) or 4 + i / 2 (odd i):
    /// red there, green 8 bytes on, blue at the same byte of the blue vector. Sets that source in the mask of the vector
    /// it is in and a zero in the other.
    /// </summary>
    private static void SetSource(int output, int half, Span<byte> redGreen, Span<byte> blue, int at)
    {
        int pixel = (output / 3) - (8 * half), colour = output % 3;
        int slot = pixel % 2 == 0 ? pixel / 2 : 4 + (pixel / 2);
        redGreen[at] = colour < 2 ? (byte)(slot + (8 * colour)) : Zero;
        blue[at] = colour == 2 ? (byte)slot : Zero;
    }

    /// <summary>The two shuffles that gather one plane (a colour of the even or of the odd pixels).</summary>
    private readonly struct PlaneMasks(Vector256<byte> fromEnds, Vector256<byte> fromMiddle)
    {
        /// <summary>
        /// Lane j of half h is pixel 8·h + 2·j + <paramref name="parity"/>, at byte n = 3 · pixel + colour of the 48;
        /// its low byte comes from the ends if n is in the first 16 bytes (h = 0) or the last 16 (h = 1), else from
        /// the middle, at n mod 16 in either; its other three bytes are zero.
        /// </summary>
        public static PlaneMasks For(int colour, int parity)
        {
            Span<byte> fromEnds = stackalloc byte[32], fromMiddle = stackalloc byte[32];
            fromEnds.Fill(Zero);
            fromMiddle.Fill(Zero);
            for (int lane = 0; lane < 8; lane++)
            {
                int half = lane / 4, pixel = (8 * half) + (2 * (lane % 4)) + parity, n = (3 * pixel) + colour;
                Span<byte> source = n / 16 == 1 ? fromMiddle : fromEnds;
                source[4 * lane] = (byte)(n % 16);
            }

            return new PlaneMasks(Vector256.Create<byte>(fromEnds), Vector256.Create<byte>(fromMiddle));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Gather(Vector256<byte> ends, Vector256<byte> middles) =>
            Avx.ConvertToVector256Single((Avx2.Shuffle(ends, fromEnds) | Avx2.Shuffle(middles, fromMiddle)).AsInt32());
    }
}
