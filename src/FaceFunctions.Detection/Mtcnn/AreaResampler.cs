using System.Numerics;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// Resamples the photo into one pyramid level with the bins of adaptive average pooling, which is what
/// facenet-pytorch's <c>interpolate(mode="area")</c> computes: output pixel i of n averages the inputs
/// [floor(i·in/n), ceil((i+1)·in/n)) with equal weights. Every level is taken from the full-resolution photo,
/// as the reference does: resampling a level from the previous one is cheaper but blurs twice, and on
/// WIDER FACE that moved about one face in ten away from the reference's box (docs/performance.md).
/// The work is kept small instead: rows are summed vertically on the 8-bit pixels with SIMD, and only the
/// summed row is binned horizontally, straight into the normalised planar tensor P-Net reads.
/// </summary>
internal static class AreaResampler
{
    /// <summary>MTCNN's input normalisation, (v − 127.5) / 128.</summary>
    public const float Mean = 127.5f;
    public const float InvStd = 1f / 128f;

    // Sums of up to this many 8-bit rows fit in 16 bits (255 × 257 = 65,535).
    private const int MaxRowsIn16Bits = 257;

    /// <summary>
    /// Resamples rows [<paramref name="firstRow"/>, +<paramref name="rowCount"/>) of the level of size
    /// <paramref name="levelWidth"/>×<paramref name="levelHeight"/> into <paramref name="destination"/>, planar
    /// (each channel's rows contiguous): exactly a [1, 3, rowCount, levelWidth] tensor. Rows are independent,
    /// so a level can be made tile by tile and never exist whole.
    /// </summary>
    public static void Resample(Image<Rgb24> image, int levelWidth, int levelHeight, int firstRow, int rowCount, Span<float> destination)
    {
        var columns = Bins(image.Width, levelWidth);
        int rowLength = image.Width * 3;
        var sums = new uint[rowLength];
        int plane = rowCount * levelWidth;
        for (int i = 0; i < rowCount; i++)
        {
            int oy = firstRow + i;
            var (start, end) = Bin(oy, image.Height, levelHeight);
            SumRows(image, start, end, sums, rowLength);
            var r = destination.Slice(i * levelWidth, levelWidth);
            var g = destination.Slice(plane + (i * levelWidth), levelWidth);
            var b = destination.Slice((2 * plane) + (i * levelWidth), levelWidth);
            BinRow(sums, columns, r, g, b, 1f / (end - start));
        }
    }

    /// <summary>The bins of one axis: for output i, the input range [Start, End).</summary>
    internal static (int Start, int End)[] Bins(int inputLength, int outputLength)
    {
        var bins = new (int, int)[outputLength];
        for (int i = 0; i < outputLength; i++)
        {
            bins[i] = Bin(i, inputLength, outputLength);
        }

        return bins;
    }

    /// <summary>Output <paramref name="i"/>'s input range [floor(i·in/out), ceil((i+1)·in/out)).</summary>
    internal static (int Start, int End) Bin(int i, int inputLength, int outputLength) =>
        ((int)((long)i * inputLength / outputLength), (int)((((long)(i + 1) * inputLength) + outputLength - 1) / outputLength));

    /// <summary>Sums photo rows [start, end) channel-interleaved into <paramref name="sums"/>.</summary>
    private static void SumRows(Image<Rgb24> image, int start, int end, uint[] sums, int rowLength)
    {
        if (end - start > MaxRowsIn16Bits)
        {
            Array.Clear(sums);
            for (int y = start; y < end; y++)
            {
                var row = MemoryMarshal.AsBytes(image.DangerousGetPixelRowMemory(y).Span);
                for (int i = 0; i < rowLength; i++)
                {
                    sums[i] += row[i];
                }
            }

            return;
        }

        // 16-bit lanes hold twice as many pixels per vector as 32-bit ones: accumulate in them, widen once.
        Span<ushort> narrow = rowLength <= 16384 ? stackalloc ushort[rowLength] : new ushort[rowLength];
        narrow.Clear();
        for (int y = start; y < end; y++)
        {
            AddRow(MemoryMarshal.AsBytes(image.DangerousGetPixelRowMemory(y).Span), narrow);
        }

        for (int i = 0; i < rowLength; i++)
        {
            sums[i] = narrow[i];
        }
    }

    private static void AddRow(ReadOnlySpan<byte> row, Span<ushort> sums)
    {
        int i = 0;
        int step = Vector<byte>.Count, half = Vector<ushort>.Count;
        for (; i <= row.Length - step; i += step)
        {
            Vector.Widen(new Vector<byte>(row[i..]), out var low, out var high);
            (new Vector<ushort>(sums[i..]) + low).CopyTo(sums[i..]);
            (new Vector<ushort>(sums[(i + half)..]) + high).CopyTo(sums[(i + half)..]);
        }

        for (; i < row.Length; i++)
        {
            sums[i] += row[i];
        }
    }

    private static void BinRow(uint[] sums, (int Start, int End)[] columns, Span<float> r, Span<float> g, Span<float> b, float rowWeight)
    {
        const float offset = Mean * InvStd;
        for (int ox = 0; ox < columns.Length; ox++)
        {
            var (start, end) = columns[ox];
            uint sr = 0, sg = 0, sb = 0;
            for (int i = start * 3; i < end * 3; i += 3)
            {
                sr += sums[i];
                sg += sums[i + 1];
                sb += sums[i + 2];
            }

            float w = rowWeight * InvStd / (end - start);
            r[ox] = (sr * w) - offset;
            g[ox] = (sg * w) - offset;
            b[ox] = (sb * w) - offset;
        }
    }
}
