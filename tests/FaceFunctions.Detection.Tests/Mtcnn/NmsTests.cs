using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Detection.Tests.Mtcnn;

public sealed class NmsTests
{
    [Fact]
    public void Union_uses_no_plus_one_and_suppresses_only_above_the_threshold()
    {
        // torchvision's own check: these two boxes have IoU exactly 1/3.
        FaceBox[] boxes = [new(0, 0, 10, 10), new(5, 0, 15, 10)];
        float[] scores = [0.9f, 0.8f];

        Assert.Equal([0], Run(boxes, scores, 0.33f, NmsMode.Union));
        Assert.Equal([0, 1], Run(boxes, scores, 0.3334f, NmsMode.Union));
    }

    [Fact]
    public void Min_divides_by_the_smaller_area_with_plus_one_sides()
    {
        // +1 sides: the small box is 5x5 = 25, the overlap 5x5 = 25, so the overlap is 1 of the smaller area.
        FaceBox[] boxes = [new(0, 0, 20, 20), new(2, 2, 6, 6)];
        float[] scores = [0.5f, 0.9f];

        Assert.Equal([1], Run(boxes, scores, 0.7f, NmsMode.Min));
        // By IoU the small box inside the large one is far below 0.7 and survives.
        Assert.Equal([1, 0], Run(boxes, scores, 0.7f, NmsMode.Union));
        // Edges 1 apart touch under the +1 convention: inter = 1 column of 11 px over a smaller area of 121.
        Assert.Equal(1f / 11f, NaiveNms.Overlap(new(0, 0, 10, 10), new(10, 0, 20, 10), NmsMode.Min), 6);
    }

    [Fact]
    public void Equal_scores_keep_the_lower_index_first()
    {
        FaceBox[] boxes = [new(0, 0, 10, 10), new(1, 1, 11, 11), new(50, 50, 60, 60), new(51, 51, 61, 61)];
        float[] scores = [0.5f, 0.5f, 0.5f, 0.5f];

        Assert.Equal([0, 2], Run(boxes, scores, 0.5f, NmsMode.Union));
    }

    [Fact]
    public void A_short_keep_buffer_receives_the_first_kept_boxes()
    {
        FaceBox[] boxes = [new(0, 0, 10, 10), new(100, 0, 110, 10), new(200, 0, 210, 10), new(1, 0, 11, 10)];
        float[] scores = [0.1f, 0.9f, 0.5f, 0.7f];
        var keep = new int[2];

        Assert.Equal(2, Nms.Suppress(boxes, scores, 0.5f, NmsMode.Union, keep));
        Assert.Equal([1, 3], keep);
    }

    [Fact]
    public void Empty_input_keeps_nothing()
    {
        Assert.Equal(0, Nms.Suppress([], [], 0.5f, NmsMode.Union, []));
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_a_clear_error()
    {
        FaceBox[] boxes = [new(0, 0, 1, 1)];
        var keep = new int[1];

        Assert.Throws<ArgumentException>(() => Nms.Suppress(boxes, [0.5f, 0.4f], 0.5f, NmsMode.Union, keep));
        Assert.Throws<ArgumentOutOfRangeException>(() => Nms.Suppress(boxes, [0.5f], 1.5f, NmsMode.Union, keep));
        Assert.Throws<ArgumentOutOfRangeException>(() => Nms.Suppress(boxes, [0.5f], float.NaN, NmsMode.Union, keep));
        Assert.Throws<ArgumentException>(() => Nms.Suppress(boxes, [float.NaN], 0.5f, NmsMode.Union, keep));
        Assert.Throws<ArgumentOutOfRangeException>(() => Nms.Suppress(boxes, [0.5f], 0.5f, (NmsMode)7, keep));
    }

    // NmsMode is internal to the core and a test method must be public: the mode by name.
    [Theory]
    [InlineData(nameof(NmsMode.Union))]
    [InlineData(nameof(NmsMode.Min))]
    public void Fast_and_naive_agree_on_random_clustered_boxes(string modeName)
    {
        var mode = Enum.Parse<NmsMode>(modeName);
        var random = new Random(20261127);
        foreach (var n in new[] { 1, 2, 7, 8, 9, 31, 100, 255, 256, 257, 1000, 3000 })
        {
            foreach (var threshold in new[] { 0f, 0.3f, 0.5f, 0.7f, 1f })
            {
                var (boxes, scores) = RandomBoxes(random, n);
                var naive = new int[n];
                var fast = new int[n];

                var naiveCount = NaiveNms.Suppress(boxes, scores, threshold, mode, naive);
                var fastCount = Nms.Suppress(boxes, scores, threshold, mode, fast);

                Assert.Equal(naive.AsSpan(0, naiveCount).ToArray(), fast.AsSpan(0, fastCount).ToArray());
            }
        }
    }

    [Fact]
    public void Kept_boxes_come_out_by_descending_score_and_none_overlaps_another_too_much()
    {
        var (boxes, scores) = RandomBoxes(new Random(7), 2000);
        var keep = new int[boxes.Length];

        var count = Nms.Suppress(boxes, scores, 0.5f, NmsMode.Union, keep);

        Assert.InRange(count, 2, boxes.Length - 1);
        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                Assert.True(scores[keep[i]] >= scores[keep[j]]);
                // Written as "not above" because two zero-area boxes have a NaN IoU, which suppresses nothing.
                Assert.False(NaiveNms.Overlap(boxes[keep[i]], boxes[keep[j]], NmsMode.Union) > 0.5f);
            }
        }
    }

    private static int[] Run(FaceBox[] boxes, float[] scores, float threshold, NmsMode mode)
    {
        var keep = new int[boxes.Length];
        var count = Nms.Suppress(boxes, scores, threshold, mode, keep);
        return keep[..count];
    }

    /// <summary>
    /// Boxes around a few centres, like P-Net's cells around a face, on a coarse grid so that equal
    /// coordinates, equal scores (ties), nested and degenerate (zero-area) boxes all occur.
    /// </summary>
    private static (FaceBox[] Boxes, float[] Scores) RandomBoxes(Random random, int n)
    {
        var centres = Enumerable.Range(0, Math.Max(1, n / 20))
            .Select(_ => (X: random.Next(0, 400), Y: random.Next(0, 400)))
            .ToArray();
        var boxes = new FaceBox[n];
        var scores = new float[n];
        for (var i = 0; i < n; i++)
        {
            var (cx, cy) = centres[random.Next(centres.Length)];
            var x1 = cx + (random.Next(-20, 21) / 2f);
            var y1 = cy + (random.Next(-20, 21) / 2f);
            var size = random.Next(0, 30) * 2f;
            boxes[i] = new FaceBox(x1, y1, x1 + size, y1 + size + (random.Next(0, 3) - 1));
            scores[i] = random.Next(0, 50) / 50f;
        }

        return (boxes, scores);
    }
}
