using FaceFunctions.Detection;
using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Tests;

/// <summary>
/// The textbook O(n²) non-maximum suppression, written to be obviously right: the specification that
/// <see cref="Nms.Suppress"/> is tested against (Detection.Tests) and benchmarked with (Benchmarks).
/// </summary>
internal static class NaiveNms
{
    /// <summary>Same contract as <see cref="Nms.Suppress"/>, for valid input.</summary>
    public static int Suppress(ReadOnlySpan<FaceBox> boxes, ReadOnlySpan<float> scores, float threshold, NmsMode mode, Span<int> keep)
    {
        var order = new int[boxes.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // A comparison that breaks ties by index makes the unstable Array.Sort deterministic and stable.
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[a] != s[b] ? s[b].CompareTo(s[a]) : a.CompareTo(b));
        var suppressed = new bool[boxes.Length];
        var kept = 0;
        for (var i = 0; i < order.Length && kept < keep.Length; i++)
        {
            if (suppressed[i])
            {
                continue;
            }

            keep[kept++] = order[i];
            for (var j = i + 1; j < order.Length; j++)
            {
                suppressed[j] |= Overlap(boxes[order[i]], boxes[order[j]], mode) > threshold;
            }
        }

        return kept;
    }

    /// <summary>How much two boxes overlap, as <paramref name="mode"/> defines it.</summary>
    public static float Overlap(FaceBox a, FaceBox b, NmsMode mode)
    {
        var pad = mode == NmsMode.Min ? 1f : 0f;
        var w = MathF.Max(MathF.Min(a.X2, b.X2) - MathF.Max(a.X1, b.X1) + pad, 0f);
        var h = MathF.Max(MathF.Min(a.Y2, b.Y2) - MathF.Max(a.Y1, b.Y1) + pad, 0f);
        var inter = w * h;
        var areaA = (a.X2 - a.X1 + pad) * (a.Y2 - a.Y1 + pad);
        var areaB = (b.X2 - b.X1 + pad) * (b.Y2 - b.Y1 + pad);
        return mode == NmsMode.Min ? inter / MathF.Min(areaA, areaB) : inter / (areaA + areaB - inter);
    }
}
