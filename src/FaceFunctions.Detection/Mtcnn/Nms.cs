using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>How <see cref="Nms"/> measures the overlap of two boxes.</summary>
internal enum NmsMode
{
    /// <summary>
    /// Intersection over union with areas (x2 - x1) * (y2 - y1), no +1: torchvision's convention, which
    /// facenet-pytorch uses for the P-Net and R-Net stages.
    /// </summary>
    Union,

    /// <summary>
    /// Intersection over the smaller area, with +1 on every side length: the MATLAB convention the MTCNN
    /// authors (and facenet-pytorch) use after O-Net, so a small box inside a large one is suppressed.
    /// </summary>
    Min,
}

/// <summary>
/// Greedy non-maximum suppression: visit boxes from the highest score down (equal scores by index), keep a box
/// unless a kept box overlaps it by more than the threshold.
/// </summary>
internal static class Nms
{
    // Below this many boxes the pooled arrays cost more than they save.
    private const int StackLimit = 256;

    /// <summary>
    /// Writes the indices of the kept boxes into <paramref name="keep"/>, highest score first, and returns how
    /// many were kept. When <paramref name="keep"/> is shorter than the result, suppression stops once it is
    /// full: the boxes written are exactly the first ones the full run would keep (a cheap top-k).
    /// </summary>
    /// <param name="boxes">Finite coordinates with x1 ≤ x2 and y1 ≤ y2.</param>
    /// <param name="scores">One score per box; NaN is rejected because it has no place in the order.</param>
    /// <param name="threshold">Overlap in [0, 1]; a box overlapping a kept one by more than this is suppressed.</param>
    /// <param name="mode">How overlap is measured.</param>
    /// <param name="keep">Receives the kept indices.</param>
    public static int Suppress(ReadOnlySpan<FaceBox> boxes, ReadOnlySpan<float> scores, float threshold, NmsMode mode, Span<int> keep)
    {
        Validate(boxes, scores, threshold, mode);
        var n = boxes.Length;
        if (n == 0 || keep.IsEmpty)
        {
            return 0;
        }

        // Structure of arrays in score order, so the inner loop reads five contiguous float streams.
        var rented = n > StackLimit ? ArrayPool<float>.Shared.Rent(5 * n) : null;
        var rentedOrder = n > StackLimit ? ArrayPool<int>.Shared.Rent(n) : null;
        try
        {
            var soa = rented is null ? stackalloc float[5 * n] : rented.AsSpan(0, 5 * n);
            var order = rentedOrder is null ? stackalloc int[n] : rentedOrder.AsSpan(0, n);
            SortByScore(scores, order);
            var x1 = soa[..n];
            var y1 = soa.Slice(n, n);
            var x2 = soa.Slice(2 * n, n);
            var y2 = soa.Slice(3 * n, n);
            var area = soa.Slice(4 * n, n);
            var pad = mode == NmsMode.Min ? 1f : 0f;
            for (var i = 0; i < n; i++)
            {
                ref readonly var b = ref boxes[order[i]];
                x1[i] = b.X1;
                y1[i] = b.Y1;
                x2[i] = b.X2;
                y2[i] = b.Y2;
                area[i] = (b.X2 - b.X1 + pad) * (b.Y2 - b.Y1 + pad);
            }

            return SuppressSorted(x1, y1, x2, y2, area, order, n, threshold, mode, keep);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }

            if (rentedOrder is not null)
            {
                ArrayPool<int>.Shared.Return(rentedOrder);
            }
        }
    }

    private static void Validate(ReadOnlySpan<FaceBox> boxes, ReadOnlySpan<float> scores, float threshold, NmsMode mode)
    {
        if (scores.Length != boxes.Length)
        {
            throw new ArgumentException($"Got {boxes.Length} boxes but {scores.Length} scores.", nameof(scores));
        }

        if (!(threshold >= 0f && threshold <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The overlap threshold must be between 0 and 1.");
        }

        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown NMS mode.");
        }

        foreach (var s in scores)
        {
            if (float.IsNaN(s))
            {
                throw new ArgumentException("A score is NaN.", nameof(scores));
            }
        }
    }

    /// <summary>
    /// Orders indices by descending score, ties by ascending index, with one primitive sort of 64-bit keys:
    /// the score's bits mapped to an order-preserving unsigned integer (inverted for descending) above the index.
    /// </summary>
    private static void SortByScore(ReadOnlySpan<float> scores, Span<int> order)
    {
        var n = scores.Length;
        var rented = n > StackLimit ? ArrayPool<ulong>.Shared.Rent(n) : null;
        try
        {
            var keys = rented is null ? stackalloc ulong[n] : rented.AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                // + 0f turns -0 into +0, which the comparison-based order treats as equal.
                var bits = BitConverter.SingleToUInt32Bits(scores[i] + 0f);
                var ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
                keys[i] = ((ulong)~ascending << 32) | (uint)i;
            }

            keys.Sort();
            for (var i = 0; i < n; i++)
            {
                order[i] = (int)(uint)keys[i];
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Each kept box marks the candidates after it that it suppresses, eight at a time, in a dead mask. Dead
    /// candidates are squeezed out of the arrays only once they make up half of what is left, so the scans
    /// shrink as boxes are suppressed while the copying stays amortised (compacting after every kept box
    /// would turn the vector loop into a scalar one as soon as one box died).
    /// </summary>
    private static int SuppressSorted(
        Span<float> x1, Span<float> y1, Span<float> x2, Span<float> y2, Span<float> area, Span<int> order,
        int alive, float threshold, NmsMode mode, Span<int> keep)
    {
        var rented = alive > StackLimit ? ArrayPool<int>.Shared.Rent(alive) : null;
        try
        {
            var dead = rented is null ? stackalloc int[alive] : rented.AsSpan(0, alive);
            dead.Clear();
            var pad = mode == NmsMode.Min ? 1f : 0f;
            var kept = 0;
            var deadCount = 0;
            for (var head = 0; head < alive && kept < keep.Length; head++)
            {
                if (dead[head] != 0)
                {
                    deadCount--;
                    continue;
                }

                keep[kept++] = order[head];
                deadCount += MarkSuppressed(x1, y1, x2, y2, area, dead, head, alive, threshold, pad, mode);
                if (2 * deadCount > alive - head - 1)
                {
                    alive = Compact(x1, y1, x2, y2, area, order, dead, head + 1, alive);
                    deadCount = 0;
                }
            }

            return kept;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Marks the live candidates after <paramref name="head"/> that it suppresses; returns how many it newly killed.</summary>
    private static int MarkSuppressed(
        Span<float> x1, Span<float> y1, Span<float> x2, Span<float> y2, Span<float> area, Span<int> dead,
        int head, int alive, float threshold, float pad, NmsMode mode)
    {
        float bx1 = x1[head], by1 = y1[head], bx2 = x2[head], by2 = y2[head], barea = area[head];
        var killed = 0;
        var j = head + 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var vx1 = Vector256.Create(bx1);
            var vy1 = Vector256.Create(by1);
            var vx2 = Vector256.Create(bx2);
            var vy2 = Vector256.Create(by2);
            var varea = Vector256.Create(barea);
            var vpad = Vector256.Create(pad);
            var vthr = Vector256.Create(threshold);
            for (; j + Vector256<float>.Count <= alive; j += Vector256<float>.Count)
            {
                var w = Vector256.Max(Vector256.Min(vx2, Vector256.Create<float>(x2[j..])) - Vector256.Max(vx1, Vector256.Create<float>(x1[j..])) + vpad, Vector256<float>.Zero);
                var h = Vector256.Max(Vector256.Min(vy2, Vector256.Create<float>(y2[j..])) - Vector256.Max(vy1, Vector256.Create<float>(y1[j..])) + vpad, Vector256<float>.Zero);
                var inter = w * h;
                var carea = Vector256.Create<float>(area[j..]);
                var overlap = mode == NmsMode.Min ? inter / Vector256.Min(varea, carea) : inter / (varea + carea - inter);
                var suppress = Vector256.GreaterThan(overlap, vthr).AsInt32();
                var before = Vector256.Create<int>(dead[j..]);
                killed += BitOperations.PopCount(Vector256.AndNot(suppress, before).ExtractMostSignificantBits());
                (before | suppress).CopyTo(dead[j..]);
            }
        }

        for (; j < alive; j++)
        {
            var w = MathF.Max(MathF.Min(bx2, x2[j]) - MathF.Max(bx1, x1[j]) + pad, 0f);
            var h = MathF.Max(MathF.Min(by2, y2[j]) - MathF.Max(by1, y1[j]) + pad, 0f);
            var inter = w * h;
            var overlap = mode == NmsMode.Min ? inter / MathF.Min(barea, area[j]) : inter / (barea + area[j] - inter);
            if (overlap > threshold && dead[j] == 0)
            {
                dead[j] = -1;
                killed++;
            }
        }

        return killed;
    }

    /// <summary>Moves the live candidates in [from, alive) to the front of that range, in order; returns the new end.</summary>
    private static int Compact(
        Span<float> x1, Span<float> y1, Span<float> x2, Span<float> y2, Span<float> area, Span<int> order, Span<int> dead, int from, int alive)
    {
        var write = from;
        for (var j = from; j < alive; j++)
        {
            if (dead[j] == 0)
            {
                Move(x1, y1, x2, y2, area, order, j, write++);
            }
        }

        dead[from..write].Clear();
        return write;
    }

    private static void Move(Span<float> x1, Span<float> y1, Span<float> x2, Span<float> y2, Span<float> area, Span<int> order, int from, int to)
    {
        x1[to] = x1[from];
        y1[to] = y1[from];
        x2[to] = x2[from];
        y2[to] = y2[from];
        area[to] = area[from];
        order[to] = order[from];
    }
}
