using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Composites a transparent image onto white. Dropping alpha (what a plain Rgb24 conversion does) would
/// expose the colour stored under fully transparent pixels, which is often black, sometimes leftover
/// content nobody can see; detection must run on what the viewer actually sees.
/// </summary>
internal static class AlphaFlattening
{
    public static Image<Rgb24> OntoWhite(Image<Rgba32> source)
    {
        var result = new Image<Rgb24>(source.GetConfiguration(), source.Width, source.Height);
        try
        {
            source.ProcessPixelRows(result, (from, to) =>
            {
                for (int y = 0; y < from.Height; y++)
                {
                    Span<Rgba32> inRow = from.GetRowSpan(y);
                    Span<Rgb24> outRow = to.GetRowSpan(y);
                    for (int x = 0; x < inRow.Length; x++)
                    {
                        Rgba32 p = inRow[x];
                        int a = p.A;
                        int white = 255 * (255 - a);
                        outRow[x] = new Rgb24(Blend(p.R, a, white), Blend(p.G, a, white), Blend(p.B, a, white));
                    }
                }
            });
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>(c·a + 255·(255 − a)) / 255, rounded.</summary>
    private static byte Blend(byte channel, int alpha, int white) => (byte)(((channel * alpha) + white + 127) / 255);
}
