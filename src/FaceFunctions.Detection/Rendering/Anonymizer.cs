using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Rendering;

/// <summary>
/// Makes a privacy copy: every face box, widened to take in hair and ears, is replaced by a smooth blur
/// of itself that keeps only its overall colours.
/// </summary>
/// <remarks>
/// The region is averaged down to <see cref="CellsAcross"/> cells on its longer side and scaled back up
/// with a B-spline. Averaging discards the detail outright (a Gaussian blur can be partly undone by
/// deconvolution), the strength is relative to the face so it is the same for a 30 px and a 3000 px face,
/// and the cost grows with the region's area rather than with area × kernel width as a Gaussian's would.
/// </remarks>
internal static class Anonymizer
{
    /// <summary>About five cells across the face itself: far below what recognition (people or models) needs.</summary>
    public const int CellsAcross = 6;

    /// <summary>Fraction of the box size added on every side.</summary>
    public const float Margin = 0.15f;

    public static Image<Rgb24> Anonymize(Image<Rgb24> photo, IReadOnlyList<DetectedFace> faces)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(faces);
        Image<Rgb24> copy = photo.Clone();
        try
        {
            foreach (DetectedFace face in faces)
            {
                if (RegionOf(face.Box, copy.Bounds()) is Rectangle region)
                {
                    BlurRegion(copy, region);
                }
            }

            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>The widened box, clipped to the photo; null when nothing of it is inside.</summary>
    internal static Rectangle? RegionOf(FaceBox box, Rectangle bounds)
    {
        if (!(float.IsFinite(box.X1) && float.IsFinite(box.Y1) && float.IsFinite(box.X2) && float.IsFinite(box.Y2)))
        {
            return null;
        }

        float mx = box.Width * Margin;
        float my = box.Height * Margin;
        float x0 = Math.Clamp(MathF.Floor(box.X1 - mx), bounds.Left, bounds.Right);
        float y0 = Math.Clamp(MathF.Floor(box.Y1 - my), bounds.Top, bounds.Bottom);
        float x1 = Math.Clamp(MathF.Ceiling(box.X2 + mx), bounds.Left, bounds.Right);
        float y1 = Math.Clamp(MathF.Ceiling(box.Y2 + my), bounds.Top, bounds.Bottom);
        return x1 > x0 && y1 > y0 ? new Rectangle((int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0)) : null;
    }

    private static void BlurRegion(Image<Rgb24> image, Rectangle region)
    {
        int longer = Math.Max(region.Width, region.Height);
        int cellsX = Math.Max(1, (int)MathF.Round(region.Width * (float)CellsAcross / longer));
        int cellsY = Math.Max(1, (int)MathF.Round(region.Height * (float)CellsAcross / longer));
        using Image<Rgb24> blurred = image.Clone(x => x
            .Crop(region)
            .Resize(cellsX, cellsY, KnownResamplers.Box)
            .Resize(region.Width, region.Height, KnownResamplers.Spline));
        image.Mutate(x => x.DrawImage(blurred, region.Location, 1f));
    }
}
