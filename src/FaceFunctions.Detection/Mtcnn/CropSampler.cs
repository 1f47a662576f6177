using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// Cuts a box out of the photo and area-resamples it straight into one S×S slot of a network input tensor
/// (normalised, planar). As in the MTCNN authors' code, the box is truncated to whole pixels; the part outside
/// the photo counts as black pixels (<see cref="CropBorder.Zero"/>, so faces at the border keep their aspect
/// ratio) or is cut away (<see cref="CropBorder.Clamp"/>, facenet-pytorch's way).
/// </summary>
internal static class CropSampler
{
    public static void Sample(Image<Rgb24> image, FaceBox box, CropBorder border, int size, Span<float> slot)
    {
        // Boxes are in the authors' 1-based inclusive convention: columns x1..x2 are 0-based x1-1..x2-1.
        int x1 = (int)box.X1, y1 = (int)box.Y1, x2 = (int)box.X2, y2 = (int)box.Y2;
        if (border == CropBorder.Clamp)
        {
            (x1, y1, x2, y2) = (Math.Max(x1, 1), Math.Max(y1, 1), Math.Min(x2, image.Width), Math.Min(y2, image.Height));
        }

        int x0 = x1 - 1, y0 = y1 - 1;
        int cropW = x2 - x1 + 1, cropH = y2 - y1 + 1;
        int plane = size * size;
        if (cropW <= 0 || cropH <= 0)
        {
            slot[..(3 * plane)].Fill(-AreaResampler.Mean * AreaResampler.InvStd);
            return;
        }

        Span<int> colStart = stackalloc int[size];
        Span<int> colEnd = stackalloc int[size];
        Span<float> colWeight = stackalloc float[size];
        Bins(cropW, size, colStart, colEnd, colWeight);
        Span<float> sums = stackalloc float[3 * size];
        for (int oy = 0; oy < size; oy++)
        {
            var (rs, re) = AreaResampler.Bin(oy, cropH, size);
            sums.Clear();
            for (int ry = rs; ry < re; ry++)
            {
                int y = y0 + ry;
                if ((uint)y >= (uint)image.Height)
                {
                    continue; // a black row: adds nothing to the sums, but still counts in the bin's weight
                }

                var row = image.DangerousGetPixelRowMemory(y).Span;
                for (int ox = 0; ox < size; ox++)
                {
                    int r = 0, g = 0, b = 0;
                    int xs = Math.Max(x0 + colStart[ox], 0), xe = Math.Min(x0 + colEnd[ox], image.Width);
                    for (int x = xs; x < xe; x++)
                    {
                        var p = row[x];
                        r += p.R;
                        g += p.G;
                        b += p.B;
                    }

                    float w = colWeight[ox];
                    sums[ox] += r * w;
                    sums[size + ox] += g * w;
                    sums[(2 * size) + ox] += b * w;
                }
            }

            float rowWeight = AreaResampler.InvStd / (re - rs);
            float offset = AreaResampler.Mean * AreaResampler.InvStd;
            for (int c = 0; c < 3; c++)
            {
                var dst = slot.Slice((c * plane) + (oy * size), size);
                var src = sums.Slice(c * size, size);
                for (int ox = 0; ox < size; ox++)
                {
                    dst[ox] = (src[ox] * rowWeight) - offset;
                }
            }
        }
    }

    private static void Bins(int inputLength, int outputLength, Span<int> start, Span<int> end, Span<float> weight)
    {
        for (int i = 0; i < outputLength; i++)
        {
            (start[i], end[i]) = AreaResampler.Bin(i, inputLength, outputLength);
            weight[i] = 1f / (end[i] - start[i]);
        }
    }
}
