namespace FaceFunctions.Detection.Mtcnn;

/// <summary>How two boxes' overlap is measured.</summary>
public enum NmsMode
{
    /// <summary>Intersection over union, areas without +1 (torchvision's convention, used after P-Net and R-Net).</summary>
    Union,

    /// <summary>Intersection over the smaller box, areas with +1 (the MATLAB convention, used after O-Net).</summary>
    Min,
}

/// <summary>Greedy non-maximum suppression.</summary>
public static class Nms
{
    /// <summary>
    /// Keeps boxes in descending score order (ties by index), dropping any whose overlap with a kept box exceeds
    /// <paramref name="threshold"/>. Writes kept indices into <paramref name="keep"/> and returns how many.
    /// </summary>
    public static int Suppress(ReadOnlySpan<FaceBox> boxes, ReadOnlySpan<float> scores, float threshold, NmsMode mode, Span<int> keep)
    {
        int n = boxes.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order, Comparer<float>.Create((a, b) => b.CompareTo(a)));
        var suppressed = new bool[n];
        float plus = mode == NmsMode.Min ? 1f : 0f;
        int kept = 0;
        for (int oi = 0; oi < n; oi++)
        {
            int i = order[oi];
            if (suppressed[i])
            {
                continue;
            }

            keep[kept++] = i;
            var a = boxes[i];
            float areaA = (a.X2 - a.X1 + plus) * (a.Y2 - a.Y1 + plus);
            for (int oj = oi + 1; oj < n; oj++)
            {
                int j = order[oj];
                if (suppressed[j])
                {
                    continue;
                }

                var b = boxes[j];
                float iw = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1) + plus;
                float ih = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1) + plus;
                if (iw <= 0 || ih <= 0)
                {
                    continue;
                }

                float inter = iw * ih;
                float areaB = (b.X2 - b.X1 + plus) * (b.Y2 - b.Y1 + plus);
                float overlap = mode == NmsMode.Min ? inter / Math.Min(areaA, areaB) : inter / (areaA + areaB - inter);
                if (overlap > threshold)
                {
                    suppressed[j] = true;
                }
            }
        }

        return kept;
    }
}
