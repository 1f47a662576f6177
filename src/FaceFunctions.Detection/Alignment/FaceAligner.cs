using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Alignment;

/// <summary>
/// Cuts aligned face crops: the least-squares similarity from the five landmarks to the ArcFace template,
/// then bilinear sampling through its inverse, black outside the photo (as cv2.warpAffine with a zero
/// border, which insightface's crops use). Stateless and thread-safe.
/// </summary>
internal static class FaceAligner
{
    public const int DefaultSize = ArcFaceTemplate.ReferenceSize;
    public const int MinSize = 16;
    public const int MaxSize = 1024;

    /// <summary>The transform from photo pixels to crop pixels for these landmarks.</summary>
    public static SimilarityTransform TransformFor(FaceLandmarks landmarks, int size = DefaultSize)
    {
        if (size is < MinSize or > MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The crop size must be between {MinSize} and {MaxSize} pixels.");
        }

        return SimilarityTransform.Estimate(landmarks.ToArray(), ArcFaceTemplate.ForSize(size));
    }

    /// <summary>A new <paramref name="size"/> × <paramref name="size"/> crop with the landmarks on the template.</summary>
    public static Image<Rgb24> Align(Image<Rgb24> image, FaceLandmarks landmarks, int size = DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        SimilarityTransform cropToPhoto = TransformFor(landmarks, size).Inverse();
        var crop = new Image<Rgb24>(image.GetConfiguration(), size, size);
        try
        {
            image.ProcessPixelRows(crop, (photo, output) => Warp(photo, output, cropToPhoto));
            return crop;
        }
        catch
        {
            crop.Dispose();
            throw;
        }
    }

    private static void Warp(PixelAccessor<Rgb24> photo, PixelAccessor<Rgb24> output, SimilarityTransform cropToPhoto)
    {
        for (int v = 0; v < output.Height; v++)
        {
            Span<Rgb24> row = output.GetRowSpan(v);

            // Along a crop row the photo position moves by the constant step (A, B).
            double x = (-cropToPhoto.B * v) + cropToPhoto.Tx;
            double y = (cropToPhoto.A * v) + cropToPhoto.Ty;
            for (int u = 0; u < row.Length; u++, x += cropToPhoto.A, y += cropToPhoto.B)
            {
                row[u] = Sample(photo, x, y);
            }
        }
    }

    /// <summary>Bilinear sample at (x, y), pixel centres on integer coordinates; neighbours outside are black.</summary>
    private static Rgb24 Sample(PixelAccessor<Rgb24> photo, double x, double y)
    {
        double fx = Math.Floor(x);
        double fy = Math.Floor(y);
        if (fx < -1 || fy < -1 || fx >= photo.Width || fy >= photo.Height)
        {
            return default;
        }

        int x0 = (int)fx;
        int y0 = (int)fy;
        float wx = (float)(x - fx);
        float wy = (float)(y - fy);
        float r = 0, g = 0, b = 0;
        for (int dy = 0; dy <= 1; dy++)
        {
            int yy = y0 + dy;
            float wRow = dy == 0 ? 1 - wy : wy;
            if (yy < 0 || yy >= photo.Height || wRow == 0)
            {
                continue;
            }

            Span<Rgb24> source = photo.GetRowSpan(yy);
            for (int dx = 0; dx <= 1; dx++)
            {
                int xx = x0 + dx;
                float w = wRow * (dx == 0 ? 1 - wx : wx);
                if (xx < 0 || xx >= photo.Width || w == 0)
                {
                    continue;
                }

                Rgb24 p = source[xx];
                r += w * p.R;
                g += w * p.G;
                b += w * p.B;
            }
        }

        return new Rgb24(ToByte(r), ToByte(g), ToByte(b));
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(value + 0.5f, 0f, 255f);
}
