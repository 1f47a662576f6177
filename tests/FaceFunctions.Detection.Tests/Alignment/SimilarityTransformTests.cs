using FaceFunctions.Detection.Alignment;

namespace FaceFunctions.Detection.Tests.Alignment;

public sealed class SimilarityTransformTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Estimate_recovers_an_exact_similarity(int seed)
    {
        var random = new Random(seed);
        var truth = SimilarityTransform.FromScaleRotation(
            scale: 0.2 + (random.NextDouble() * 2.8),
            rotation: (random.NextDouble() * 2 - 1) * Math.PI,
            tx: (random.NextDouble() * 1000) - 500,
            ty: (random.NextDouble() * 1000) - 500);
        Point2[] from = RandomPoints(random, count: 5 + random.Next(16));
        Point2[] to = Array.ConvertAll(from, truth.Apply);

        SimilarityTransform fit = SimilarityTransform.Estimate(from, to);

        Assert.Equal(truth.Scale, fit.Scale, 1e-5);
        Assert.Equal(truth.Rotation, fit.Rotation, 1e-5);
        Assert.Equal(truth.Tx, fit.Tx, 1e-2);
        Assert.Equal(truth.Ty, fit.Ty, 1e-2);
        Assert.InRange(RootMeanSquareError(fit, from, to), 0, 1e-3);
    }

    [Fact]
    public void Estimate_is_the_least_squares_optimum_for_noisy_points()
    {
        var random = new Random(11);
        Point2[] from = RandomPoints(random, 12);
        var truth = SimilarityTransform.FromScaleRotation(1.7, 0.4, 30, -20);
        Point2[] to = Array.ConvertAll(from, p =>
        {
            Point2 q = truth.Apply(p);
            return new Point2(q.X + (float)((random.NextDouble() - 0.5) * 20), q.Y + (float)((random.NextDouble() - 0.5) * 20));
        });

        SimilarityTransform fit = SimilarityTransform.Estimate(from, to);
        double best = RootMeanSquareError(fit, from, to);

        // Nudging any parameter must not reduce the error.
        const double h = 1e-4;
        foreach (SimilarityTransform nudged in new[]
        {
            fit with { A = fit.A + h }, fit with { A = fit.A - h }, fit with { B = fit.B + h }, fit with { B = fit.B - h },
            fit with { Tx = fit.Tx + (h * 100) }, fit with { Tx = fit.Tx - (h * 100) }, fit with { Ty = fit.Ty + (h * 100) }, fit with { Ty = fit.Ty - (h * 100) },
        })
        {
            Assert.True(RootMeanSquareError(nudged, from, to) >= best - 1e-9);
        }
    }

    [Fact]
    public void Estimate_never_returns_a_reflection()
    {
        // The target is the mirror image of the source: only a reflection could fit it exactly.
        Point2[] from = ArcFaceTemplate.ForSize(112);
        Point2[] mirrored = Array.ConvertAll(from, p => new Point2(200 - p.X, p.Y));

        SimilarityTransform fit = SimilarityTransform.Estimate(from, mirrored);

        // A similarity's linear part [[A, -B], [B, A]] has determinant A² + B² > 0: orientation kept.
        Assert.True((fit.A * fit.A) + (fit.B * fit.B) > 0);
        Assert.InRange(RootMeanSquareError(fit, from, mirrored), 5, double.MaxValue);
    }

    [Fact]
    public void Inverse_undoes_the_transform()
    {
        var t = SimilarityTransform.FromScaleRotation(2.5, -1.1, 40, 7);
        var p = new Point2(12.5f, -3.25f);

        Point2 back = t.Inverse().Apply(t.Apply(p));

        Assert.Equal(p.X, back.X, 1e-4);
        Assert.Equal(p.Y, back.Y, 1e-4);
    }

    [Fact]
    public void Coincident_points_have_no_transform()
    {
        Point2[] same = [new(5, 5), new(5, 5), new(5, 5)];

        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate(same, ArcFaceTemplate.ForSize(112).AsSpan(0, 3)));
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate(same, ArcFaceTemplate.ForSize(112)));
    }

    private static Point2[] RandomPoints(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => new Point2((float)(random.NextDouble() * 500), (float)(random.NextDouble() * 500))).ToArray();

    private static double RootMeanSquareError(SimilarityTransform t, Point2[] from, Point2[] to)
    {
        double sum = 0;
        for (int i = 0; i < from.Length; i++)
        {
            double x = (t.A * from[i].X) - (t.B * from[i].Y) + t.Tx - to[i].X;
            double y = (t.B * from[i].X) + (t.A * from[i].Y) + t.Ty - to[i].Y;
            sum += (x * x) + (y * y);
        }

        return Math.Sqrt(sum / from.Length);
    }
}
