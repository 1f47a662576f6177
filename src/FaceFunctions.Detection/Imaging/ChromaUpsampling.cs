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

    /// <summary>Re-upsamples the colour of a 4:2:0 JPEG decoded by ImageSharp the way libjpeg does.</summary>
    public static void ApplyLibjpegFancyUpsampling(Image<Rgb24> image)
    {
        int width = image.Width, height = image.Height;
        int halfWidth = (width + 1) / 2, halfHeight = (height + 1) / 2;
        var cb = new int[halfWidth * halfHeight];
        var cr = new int[halfWidth * halfHeight];
        ReadBlockChroma(image, cb, cr, halfWidth);

        var cbRow = new int[2 * halfWidth];
        var crRow = new int[2 * halfWidth];
        var cbSums = new int[halfWidth];
        var crSums = new int[halfWidth];
        for (int y = 0; y < height; y++)
        {
            // Vertically, 3/4 of the nearer half-resolution row and 1/4 of the farther one (edges repeat).
            int near = y / 2, far = y % 2 == 0 ? Math.Max(near - 1, 0) : Math.Min(near + 1, halfHeight - 1);
            for (int bx = 0; bx < halfWidth; bx++)
            {
                cbSums[bx] = (3 * cb[(near * halfWidth) + bx]) + cb[(far * halfWidth) + bx];
                crSums[bx] = (3 * cr[(near * halfWidth) + bx]) + cr[(far * halfWidth) + bx];
            }

            Horizontal(cbSums, cbRow);
            Horizontal(crSums, crRow);
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < width; x++)
            {
                var p = row[x];
                float luma = (0.299f * p.R) + (0.587f * p.G) + (0.114f * p.B);
                float b = cbRow[x] - 128f, r = crRow[x] - 128f;
                row[x] = new Rgb24(
                    ToByte(luma + (1.402f * r)),
                    ToByte(luma - (0.344136f * b) - (0.714136f * r)),
                    ToByte(luma + (1.772f * b)));
            }
        }
    }

    /// <summary>The colour of each 2×2 block, averaged over its pixels (they agree to within rounding).</summary>
    private static void ReadBlockChroma(Image<Rgb24> image, int[] cb, int[] cr, int halfWidth)
    {
        var cbSum = new float[halfWidth];
        var crSum = new float[halfWidth];
        var count = new int[halfWidth];
        for (int y = 0; y < image.Height; y += 2)
        {
            Array.Clear(cbSum);
            Array.Clear(crSum);
            Array.Clear(count);
            for (int dy = 0; dy < 2 && y + dy < image.Height; dy++)
            {
                var row = image.DangerousGetPixelRowMemory(y + dy).Span;
                for (int x = 0; x < image.Width; x++)
                {
                    var p = row[x];
                    cbSum[x / 2] += 128f - (0.168736f * p.R) - (0.331264f * p.G) + (0.5f * p.B);
                    crSum[x / 2] += 128f + (0.5f * p.R) - (0.418688f * p.G) - (0.081312f * p.B);
                    count[x / 2]++;
                }
            }

            int by = y / 2;
            for (int bx = 0; bx < halfWidth; bx++)
            {
                cb[(by * halfWidth) + bx] = (int)MathF.Round(cbSum[bx] / count[bx]);
                cr[(by * halfWidth) + bx] = (int)MathF.Round(crSum[bx] / count[bx]);
            }
        }
    }

    /// <summary>Horizontally, 3/4 nearer and 1/4 farther column, with libjpeg's rounding (the sums are 4× samples).</summary>
    private static void Horizontal(int[] sums, int[] output)
    {
        int last = sums.Length - 1;
        for (int bx = 0; bx <= last; bx++)
        {
            output[2 * bx] = bx == 0 ? ((sums[0] * 4) + 8) >> 4 : ((sums[bx] * 3) + sums[bx - 1] + 8) >> 4;
            output[(2 * bx) + 1] = bx == last ? ((sums[bx] * 4) + 7) >> 4 : ((sums[bx] * 3) + sums[bx + 1] + 7) >> 4;
        }
    }

    private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);
}
