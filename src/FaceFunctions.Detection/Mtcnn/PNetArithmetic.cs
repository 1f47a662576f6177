namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// The useful arithmetic P-Net does on a photo: its convolutions over every pyramid level, counted as 2 FLOPs per
/// multiply-add (PReLU, pooling and softmax are negligible), without the rows tiles recompute where they overlap.
/// `bench` divides it by P-Net's time for the GFLOP/s docs/performance.md compares with the machine's peak.
/// </summary>
public static class PNetArithmetic
{
    /// <summary>FLOPs of P-Net over the pyramid <paramref name="options"/> gives a <paramref name="width"/> × <paramref name="height"/> photo.</summary>
    public static double Flops(int width, int height, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double flops = 0;
        foreach (var level in PyramidScales.For(width, height, options.MinFaceSize, options.ScaleFactor))
        {
            flops += LevelFlops(level.Width, level.Height);
        }

        return flops;
    }

    /// <summary>
    /// P-Net on one h × w level: conv1 3→10 (3×3, 27 MACs per output), 2×2 max-pool (ceil), conv2 10→16 (3×3, 90),
    /// conv3 16→32 (3×3, 144), and the two 1×1 heads 32→2 and 32→4 on conv3's grid.
    /// </summary>
    internal static double LevelFlops(int w, int h)
    {
        long conv1 = (long)(w - 2) * (h - 2);
        long pooledW = (w - 2 + 1) / 2, pooledH = (h - 2 + 1) / 2;
        long conv2 = Math.Max(0, pooledW - 2) * Math.Max(0, pooledH - 2);
        long conv3 = Math.Max(0, pooledW - 4) * Math.Max(0, pooledH - 4);
        double macs = (conv1 * 10 * 27) + (conv2 * 16 * 90) + (conv3 * 32 * 144) + (conv3 * 6 * 32);
        return 2 * macs;
    }
}
