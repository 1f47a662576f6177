namespace FaceFunctions.Detection.Alignment;

/// <summary>
/// Where ArcFace-style recognisers expect the five MTCNN landmarks in a 112 × 112 crop (insightface's
/// reference points), in MTCNN order: left eye, right eye, nose, mouth left, mouth right.
/// </summary>
internal static class ArcFaceTemplate
{
    public const int ReferenceSize = 112;

    private static readonly Point2[] Reference =
    [
        new(38.2946f, 51.6963f),
        new(73.5318f, 51.5014f),
        new(56.0252f, 71.7366f),
        new(41.5493f, 92.3655f),
        new(70.7299f, 92.2041f),
    ];

    /// <summary>The five points for a <paramref name="size"/> × <paramref name="size"/> crop: the 112 template scaled by size / 112.</summary>
    public static Point2[] ForSize(int size)
    {
        float k = size / (float)ReferenceSize;
        return Array.ConvertAll(Reference, p => new Point2(p.X * k, p.Y * k));
    }
}
