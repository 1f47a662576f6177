using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Rendering;

/// <summary>
/// The few drawing primitives previews need, written directly on pixel rows (ImageSharp.Drawing is not
/// available). Everything is clipped to the image, so callers may pass any coordinates.
/// </summary>
internal readonly ref struct PixelCanvas
{
    private readonly PixelAccessor<Rgb24> _pixels;

    public PixelCanvas(PixelAccessor<Rgb24> pixels)
    {
        _pixels = pixels;
    }

    /// <summary>Fills [x0, x1) × [y0, y1).</summary>
    public void FillRect(int x0, int y0, int x1, int y1, Rgb24 colour)
    {
        x0 = Math.Max(x0, 0);
        y0 = Math.Max(y0, 0);
        x1 = Math.Min(x1, _pixels.Width);
        y1 = Math.Min(y1, _pixels.Height);
        for (int y = y0; y < y1 && x0 < x1; y++)
        {
            _pixels.GetRowSpan(y)[x0..x1].Fill(colour);
        }
    }

    /// <summary>The outline of [x0, x1) × [y0, y1), <paramref name="thickness"/> pixels wide, drawn inwards.</summary>
    public void StrokeRect(int x0, int y0, int x1, int y1, int thickness, Rgb24 colour)
    {
        FillRect(x0, y0, x1, y0 + thickness, colour);
        FillRect(x0, y1 - thickness, x1, y1, colour);
        FillRect(x0, y0, x0 + thickness, y1, colour);
        FillRect(x1 - thickness, y0, x1, y1, colour);
    }

    /// <summary>A filled disc: every pixel whose centre lies within <paramref name="radius"/> of (cx, cy).</summary>
    public void FillDisc(float cx, float cy, float radius, Rgb24 colour)
    {
        int y0 = Math.Max((int)MathF.Floor(cy - radius), 0);
        int y1 = Math.Min((int)MathF.Ceiling(cy + radius), _pixels.Height - 1);
        for (int y = y0; y <= y1; y++)
        {
            float dy = y - cy;
            float half = MathF.Sqrt(MathF.Max((radius * radius) - (dy * dy), 0));
            int x0 = Math.Max((int)MathF.Ceiling(cx - half), 0);
            int x1 = Math.Min((int)MathF.Floor(cx + half), _pixels.Width - 1);
            if (x0 <= x1)
            {
                _pixels.GetRowSpan(y)[x0..(x1 + 1)].Fill(colour);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> with the built-in font, each font pixel a <paramref name="scale"/>² square.</summary>
    public void DrawText(string text, int x, int y, int scale, Rgb24 colour)
    {
        foreach (char c in text)
        {
            string[] rows = BitmapFont.Glyph(c);
            for (int row = 0; row < rows.Length; row++)
            {
                for (int col = 0; col < rows[row].Length; col++)
                {
                    if (rows[row][col] == '#')
                    {
                        int px = x + (col * scale);
                        int py = y + (row * scale);
                        FillRect(px, py, px + scale, py + scale, colour);
                    }
                }
            }

            x += (rows[0].Length + BitmapFont.Spacing) * scale;
        }
    }
}
