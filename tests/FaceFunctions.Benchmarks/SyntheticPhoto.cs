using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Benchmarks;

/// <summary>A deterministic noisy photo: the kernels' cost does not depend on content, only on size.</summary>
internal static class SyntheticPhoto
{
    public static Image<Rgb24> Create(int width, int height)
    {
        var random = new Random(7);
        var image = new Image<Rgb24>(width, height);
        var row = new byte[width * 3];
        for (int y = 0; y < height; y++)
        {
            random.NextBytes(row);
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24(row[3 * x], row[(3 * x) + 1], row[(3 * x) + 2]);
            }
        }

        return image;
    }
}
