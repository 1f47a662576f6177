using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Tests;

internal static class ImageAssert
{
    /// <summary>Mean absolute difference per channel between two images of the same size.</summary>
    public static double MeanAbsoluteDifference(Image<Rgb24> a, Image<Rgb24> b)
    {
        Assert.Equal(a.Size(), b.Size());
        long sum = 0;
        for (int y = 0; y < a.Height; y++)
        {
            for (int x = 0; x < a.Width; x++)
            {
                Rgb24 p = a[x, y];
                Rgb24 q = b[x, y];
                sum += Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B);
            }
        }

        return sum / (3.0 * a.Width * a.Height);
    }

    public static void Identical(Image<Rgb24> expected, Image<Rgb24> actual) =>
        Assert.Equal(0.0, MeanAbsoluteDifference(expected, actual));
}
