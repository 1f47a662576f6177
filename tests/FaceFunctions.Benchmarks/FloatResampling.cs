using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Benchmarks;

/// <summary>The float area resampling the detector does not use, kept here as the benchmarks' baselines.</summary>
internal static class FloatResampling
{
    public static float[] ToPlanar(Image<Rgb24> image)
    {
        int plane = image.Width * image.Height;
        var planar = new float[3 * plane];
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                int i = (y * image.Width) + x;
                planar[i] = p.R;
                planar[plane + i] = p.G;
                planar[(2 * plane) + i] = p.B;
            }
        }

        return planar;
    }

    /// <summary>Adaptive average pooling, separable: rows first into a full-height intermediate, as tensor libraries do.</summary>
    public static float[] Area(float[] source, int width, int height, int outWidth, int outHeight)
    {
        var output = new float[3 * outWidth * outHeight];
        var intermediate = new float[height * outWidth];
        for (int c = 0; c < 3; c++)
        {
            int sourcePlane = c * width * height;
            for (int y = 0; y < height; y++)
            {
                for (int ox = 0; ox < outWidth; ox++)
                {
                    int start = (int)((long)ox * width / outWidth), end = (int)((((long)(ox + 1) * width) + outWidth - 1) / outWidth);
                    float sum = 0;
                    for (int x = start; x < end; x++)
                    {
                        sum += source[sourcePlane + (y * width) + x];
                    }

                    intermediate[(y * outWidth) + ox] = sum / (end - start);
                }
            }

            for (int oy = 0; oy < outHeight; oy++)
            {
                int start = (int)((long)oy * height / outHeight), end = (int)((((long)(oy + 1) * height) + outHeight - 1) / outHeight);
                for (int ox = 0; ox < outWidth; ox++)
                {
                    float sum = 0;
                    for (int y = start; y < end; y++)
                    {
                        sum += intermediate[(y * outWidth) + ox];
                    }

                    output[(c * outWidth * outHeight) + (oy * outWidth) + ox] = sum / (end - start);
                }
            }
        }

        return output;
    }
}
