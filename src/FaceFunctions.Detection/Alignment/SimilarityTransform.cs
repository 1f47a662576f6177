namespace FaceFunctions.Detection.Alignment;

/// <summary>
/// A 2-D similarity transform (uniform scale, rotation, translation; never a reflection):
/// x' = A·x − B·y + Tx, y' = B·x + A·y + Ty, where A = s·cos θ and B = s·sin θ.
/// </summary>
internal readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    public double Scale => Math.Sqrt((A * A) + (B * B));

    /// <summary>Rotation angle θ in radians (clockwise on screen, where y points down).</summary>
    public double Rotation => Math.Atan2(B, A);

    public static SimilarityTransform FromScaleRotation(double scale, double rotation, double tx, double ty) =>
        new(scale * Math.Cos(rotation), scale * Math.Sin(rotation), tx, ty);

    public Point2 Apply(Point2 p) => new((float)((A * p.X) - (B * p.Y) + Tx), (float)((B * p.X) + (A * p.Y) + Ty));

    public SimilarityTransform Inverse()
    {
        double d = (A * A) + (B * B);
        double a = A / d;
        double b = -B / d;
        return new(a, b, -((a * Tx) - (b * Ty)), -((b * Tx) + (a * Ty)));
    }

    /// <summary>
    /// The least-squares similarity mapping <paramref name="from"/> onto <paramref name="to"/> (Umeyama 1991).
    /// </summary>
    /// <remarks>
    /// In 2-D the Umeyama solution has a closed form without an explicit SVD: with centred points p and q,
    /// a = Σ p·q and b = Σ p×q, the optimal A = a / Σ|p|² and B = b / Σ|p|². This equals Umeyama's
    /// R = U·S·Vᵀ with the reflection-excluding S, because for a 2×2 covariance the trace he maximises is
    /// σ₁ + σ₂ or σ₁ − σ₂ (when det &lt; 0), and both equal √(a² + b²).
    /// </remarks>
    public static SimilarityTransform Estimate(ReadOnlySpan<Point2> from, ReadOnlySpan<Point2> to)
    {
        if (from.Length != to.Length || from.Length < 2)
        {
            throw new ArgumentException($"A similarity fit needs two lists of the same length, at least 2 points each (got {from.Length} and {to.Length}).");
        }

        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (int i = 0; i < from.Length; i++)
        {
            fx += from[i].X;
            fy += from[i].Y;
            tx += to[i].X;
            ty += to[i].Y;
        }

        int n = from.Length;
        fx /= n;
        fy /= n;
        tx /= n;
        ty /= n;

        double dot = 0, cross = 0, spread = 0;
        for (int i = 0; i < n; i++)
        {
            double px = from[i].X - fx, py = from[i].Y - fy;
            double qx = to[i].X - tx, qy = to[i].Y - ty;
            dot += (px * qx) + (py * qy);
            cross += (px * qy) - (py * qx);
            spread += (px * px) + (py * py);
        }

        if (!(spread > 1e-12) || !double.IsFinite(dot + cross))
        {
            throw new ArgumentException("The source points coincide or are not finite: no similarity transform is defined.");
        }

        double a = dot / spread;
        double b = cross / spread;
        return new SimilarityTransform(a, b, tx - ((a * fx) - (b * fy)), ty - ((b * fx) + (a * fy)));
    }
}
