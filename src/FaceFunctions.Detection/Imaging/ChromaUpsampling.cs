using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Most JPEGs store colour (Cb, Cr) at half resolution in both directions (4:2:0). libjpeg, and so PIL, OpenCV and
/// every reference MTCNN, interpolates those planes back up with a triangle filter ("fancy upsampling"); ImageSharp
/// 2.1 repeats each colour sample over its 2×2 block. The difference, up to ~30 grey levels at colour edges, was
/// enough to move borderline faces (docs/accuracy.md). Because ImageSharp's colour is exactly constant over each
/// block, the half-resolution planes can be read back from its pixels and upsampled again as libjpeg does.
/// </summary>
/// <remarks>
/// One pass over the photo: the colour of block row k + 1 is read before pixel rows 2k and 2k + 1 are rewritten,
/// so only three block rows are ever held and every pixel row is touched while it is still in cache. Large photos
/// are cut into one band of rows per core. The bulk of each row goes 16 pixels at a time where the CPU has the
/// vector instructions (<see cref="ChromaKernel"/>: AVX-512 VBMI, where one byte permute turns 16 interleaved RGB
/// pixels into planes and back, or else AVX2, with byte shuffles within 128-bit halves); the pixels left at the end
/// of a row, and whole rows on other CPUs, run the same arithmetic one pixel at a time. All do exactly the float
/// operations of the plain version in the same order (no fused multiply-adds; float-to-int conversion rounding to
/// nearest even, as MathF.Round does), so the output is bit-identical to it (ChromaUpsamplingTests compare every
/// kernel the CPU runs with the plain version kept in the tests). The per-row and per-pixel methods
/// are compiled fully optimised at once: the first photo of a process would otherwise run them as unoptimised
/// tier-0 code, since a photo takes less time than the runtime waits before re-compiling hot methods.
/// </remarks>
internal static class ChromaUpsampling
{
    /// <summary>Whether the JPEG is three-component YCbCr with luma sampled 2×2 and both chroma planes 1×1.</summary>
    public static bool Is420(ReadOnlySpan<byte> file)
    {
        var segments = new JpegHeaderSegments(file);
        while (segments.TryNext(out byte marker, out var payload))
        {
            if (marker == 0xEE && payload.StartsWith("Adobe"u8) && payload.Length >= 12 && payload[11] != 1)
            {
                return false; // Adobe transform 0 (RGB or CMYK) or 2 (YCCK): not YCbCr
            }

            // SOF0 (baseline), SOF1 (extended), SOF2 (progressive): precision, height, width, components, then
            // per component its id, sampling factors (H << 4 | V) and quantisation table.
            if (marker is 0xC0 or 0xC1 or 0xC2)
            {
                return payload.Length >= 15 && payload[5] == 3
                    && payload[7] == 0x22 && payload[10] == 0x11 && payload[13] == 0x11;
            }
        }

        return false;
    }

    /// <summary>
    /// Photos of at least this many pixels are cut into one horizontal band per core, upsampled in parallel:
    /// ImageSharp decodes on one core, and this is most of what the loader adds to its time.
    /// </summary>
    internal const int ParallelPixels = 1 << 19;

    /// <summary>The fastest kernel this CPU runs natively: the one the loader uses.</summary>
    public static ChromaKernel Fastest { get; } =
        Avx512ChromaRows.IsSupported ? ChromaKernel.Avx512Vbmi : Avx2ChromaRows.IsSupported ? ChromaKernel.Avx2 : ChromaKernel.Scalar;

    /// <summary>Whether this CPU runs <paramref name="kernel"/> natively.</summary>
    public static bool Runs(ChromaKernel kernel) => kernel switch
    {
        ChromaKernel.Avx512Vbmi => Avx512ChromaRows.IsSupported,
        ChromaKernel.Avx2 => Avx2ChromaRows.IsSupported,
        _ => kernel == ChromaKernel.Scalar,
    };

    /// <summary>Re-upsamples the colour of a 4:2:0 JPEG decoded by ImageSharp the way libjpeg does.</summary>
    public static void ApplyLibjpegFancyUpsampling(Image<Rgb24> image) => ApplyLibjpegFancyUpsampling(image, Fastest);

    /// <summary><see cref="ApplyLibjpegFancyUpsampling(Image{Rgb24})"/> with the given kernel, which the CPU must run.</summary>
    public static void ApplyLibjpegFancyUpsampling(Image<Rgb24> image, ChromaKernel kernel)
    {
        if (!Runs(kernel))
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "This CPU does not run that kernel natively.");
        }

        switch (kernel)
        {
            case ChromaKernel.Avx512Vbmi:
                Apply(image, new Avx512ChromaRows());
                break;
            case ChromaKernel.Avx2:
                Apply(image, new Avx2ChromaRows());
                break;
            default:
                Apply(image, new ScalarChromaRows());
                break;
        }
    }

    private static void Apply(Image<Rgb24> image, IChromaRows rows)
    {
        int halfHeight = (image.Height + 1) / 2;
        int count = (long)image.Width * image.Height >= ParallelPixels ? Math.Clamp(halfHeight / 2, 1, Environment.ProcessorCount) : 1;
        var bands = new Band[count];
        try
        {
            for (int b = 0; b < count; b++)
            {
                bands[b] = new Band(image, halfHeight * b / count, halfHeight * (b + 1) / count, rows);
            }

            // The block rows a band shares with its neighbours are read before any band rewrites a pixel.
            foreach (var band in bands)
            {
                band.ReadEdges();
            }

            if (count == 1)
            {
                bands[0].Run();
            }
            else
            {
                Parallel.ForEach(bands, band => band.Run());
            }
        }
        finally
        {
            foreach (var band in bands)
            {
                band?.Dispose();
            }
        }
    }

    /// <summary>The colour of each 2×2 block of two pixel rows (<paramref name="bottom"/> empty past the last row), averaged over its pixels (they agree to within rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadBlockRow(ReadOnlySpan<Rgb24> top, ReadOnlySpan<Rgb24> bottom, IChromaRows rows, Span<int> cb, Span<int> cr)
    {
        for (int bx = rows.ReadBlocks(top, bottom, cb, cr); bx < cb.Length; bx++)
        {
            float cbSum = 0, crSum = 0;
            int count = 0;
            AddBlockPixels(top, bx, ref cbSum, ref crSum, ref count);
            AddBlockPixels(bottom, bx, ref cbSum, ref crSum, ref count);
            cb[bx] = (int)MathF.Round(cbSum / count);
            cr[bx] = (int)MathF.Round(crSum / count);
        }
    }

    /// <summary>Adds the colour of block <paramref name="bx"/>'s pixels in <paramref name="row"/> (none if it is empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddBlockPixels(ReadOnlySpan<Rgb24> row, int bx, ref float cbSum, ref float crSum, ref int count)
    {
        for (int x = 2 * bx; x < Math.Min((2 * bx) + 2, row.Length); x++)
        {
            cbSum += CbOf(row[x]);
            crSum += CrOf(row[x]);
            count++;
        }
    }

    /// <summary>Rewrites one pixel row with the colour interpolated from two block rows (the nearer weighs 3/4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteRow(
        Span<Rgb24> row, IChromaRows rows, ReadOnlySpan<int> cbNear, ReadOnlySpan<int> cbFar, ReadOnlySpan<int> crNear, ReadOnlySpan<int> crFar, Span<int> cbSums, Span<int> crSums)
    {
        VerticalSums(cbNear, cbFar, cbSums);
        VerticalSums(crNear, crFar, crSums);
        for (int x = rows.WritePixels(row, cbSums, crSums); x < row.Length; x++)
        {
            var p = row[x];
            float luma = (0.299f * p.R) + (0.587f * p.G) + (0.114f * p.B);
            float b = Horizontal(cbSums, x) - 128f, r = Horizontal(crSums, x) - 128f;
            row[x] = new Rgb24(
                ToByte(luma + (1.402f * r)),
                ToByte(luma - (0.344136f * b) - (0.714136f * r)),
                ToByte(luma + (1.772f * b)));
        }
    }

    /// <summary>
    /// 3 × near + far for every block (4× the vertically interpolated sample), at [1, n]; [0] and [n + 1] repeat the
    /// edges, so that <see cref="Horizontal"/> needs no special case at either end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalSums(ReadOnlySpan<int> near, ReadOnlySpan<int> far, Span<int> padded)
    {
        int bx = 0;
        for (; bx + Vector256<int>.Count <= near.Length; bx += Vector256<int>.Count)
        {
            var sum = (Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(near), (nuint)bx) * 3)
                + Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(far), (nuint)bx);
            sum.StoreUnsafe(ref MemoryMarshal.GetReference(padded), (nuint)(bx + 1));
        }

        for (; bx < near.Length; bx++)
        {
            padded[bx + 1] = (3 * near[bx]) + far[bx];
        }

        padded[0] = padded[1];
        padded[near.Length + 1] = padded[near.Length];
    }

    /// <summary>Horizontally, 3/4 nearer and 1/4 farther column, with libjpeg's rounding (the sums are 4× samples).</summary>
    private static int Horizontal(ReadOnlySpan<int> padded, int x)
    {
        int bx = (x / 2) + 1;
        return x % 2 == 0 ? ((padded[bx] * 3) + padded[bx - 1] + 8) >> 4 : ((padded[bx] * 3) + padded[bx + 1] + 7) >> 4;
    }

    /// <summary><see cref="Horizontal"/> for pixels 2·bx … 2·bx + 15: the 8 even pixels' samples and the 8 odd pixels'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Horizontal8(ReadOnlySpan<int> padded, int bx, out Vector256<int> even, out Vector256<int> odd)
    {
        ref int start = ref MemoryMarshal.GetReference(padded);
        var centre = Vector256.LoadUnsafe(ref start, (nuint)(bx + 1)) * 3;
        even = (centre + Vector256.LoadUnsafe(ref start, (nuint)bx) + Vector256.Create(8)) >> 4;
        odd = (centre + Vector256.LoadUnsafe(ref start, (nuint)(bx + 2)) + Vector256.Create(7)) >> 4;
    }

    private static float CbOf(Rgb24 p) => 128f - (0.168736f * p.R) - (0.331264f * p.G) + (0.5f * p.B);

    private static float CrOf(Rgb24 p) => 128f + (0.5f * p.R) - (0.418688f * p.G) - (0.081312f * p.B);

    private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);

    /// <summary>
    /// Block rows [first, end) and the pixel rows they cover. The band holds three block rows of each colour plane
    /// (a ring indexed by block row mod 3), the two rows of padded vertical sums, and a copy of the block row just below
    /// it (the next band's first, read by <see cref="ReadEdges"/> before that band starts rewriting it), all in one
    /// rented array.
    /// </summary>
    private sealed class Band(Image<Rgb24> image, int first, int end, IChromaRows rows) : IDisposable
    {
        private readonly int _halfWidth = (image.Width + 1) / 2;
        private readonly int _halfHeight = (image.Height + 1) / 2;
        private readonly int[] _buffer = ArrayPool<int>.Shared.Rent((10 * ((image.Width + 1) / 2)) + 4);

        /// <summary>Reads the block row above the band and its first one, and the one below it.</summary>
        public void ReadEdges()
        {
            if (first > 0)
            {
                ReadBlockRow(first - 1, Cb(first - 1), Cr(first - 1));
            }

            ReadBlockRow(first, Cb(first), Cr(first));
            if (end < _halfHeight)
            {
                ReadBlockRow(end, CbBelow, CrBelow);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run()
        {
            Span<int> cbSums = _buffer.AsSpan(6 * _halfWidth, _halfWidth + 2), crSums = _buffer.AsSpan((7 * _halfWidth) + 2, _halfWidth + 2);
            for (int by = first; by < end; by++)
            {
                // Block row by + 1 is read before pixel rows 2·by and 2·by + 1 are rewritten.
                int next = by + 1;
                if (next == end && next < _halfHeight)
                {
                    CbBelow.CopyTo(Cb(next));
                    CrBelow.CopyTo(Cr(next));
                }
                else if (next < _halfHeight)
                {
                    ReadBlockRow(next, Cb(next), Cr(next));
                }

                // Vertically, 3/4 of the nearer block row and 1/4 of the farther one (edges repeat).
                int y = 2 * by, above = Math.Max(by - 1, 0), below = Math.Min(by + 1, _halfHeight - 1);
                WriteRow(Row(y), rows, Cb(by), Cb(above), Cr(by), Cr(above), cbSums, crSums);
                if (y + 1 < image.Height)
                {
                    WriteRow(Row(y + 1), rows, Cb(by), Cb(below), Cr(by), Cr(below), cbSums, crSums);
                }
            }
        }

        public void Dispose() => ArrayPool<int>.Shared.Return(_buffer);

        private void ReadBlockRow(int by, Span<int> cb, Span<int> cr) =>
            ChromaUpsampling.ReadBlockRow(Row(2 * by), (2 * by) + 1 < image.Height ? Row((2 * by) + 1) : default, rows, cb, cr);

        private Span<Rgb24> Row(int y) => image.DangerousGetPixelRowMemory(y).Span;

        // Layout of the buffer, n = half the width: Cb ring (3 n), Cr ring (3 n), Cb and Cr sums (n + 2 each), Cb and Cr below (n each).
        private Span<int> CbBelow => _buffer.AsSpan((8 * _halfWidth) + 4, _halfWidth);

        private Span<int> CrBelow => _buffer.AsSpan((9 * _halfWidth) + 4, _halfWidth);

        private Span<int> Cb(int by) => _buffer.AsSpan(by % 3 * _halfWidth, _halfWidth);

        private Span<int> Cr(int by) => _buffer.AsSpan((3 + (by % 3)) * _halfWidth, _halfWidth);
    }
}
