using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Tests.Imaging;

/// <summary>
/// The first, plain scalar version of <c>ChromaUpsampling.ApplyLibjpegFancyUpsampling</c>, kept as the specification
/// the vectorised one must match bit for bit (ChromaUpsamplingTests) and as the baseline of its micro-benchmark
/// (tests/FaceFunctions.Benchmarks links this file).
/// </summary>
internal static class ScalarChromaUpsampling
{
    public static void Apply(Image<Rgb24> image)
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
