using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Rendering;

/// <summary>
/// Draws a preview for people: each face's box, its five landmarks as dots, and its score ("0.998") on a
/// dark label above the box. Line widths and text grow with the photo so the preview reads the same at
/// any resolution. The photo passed in is not modified.
/// </summary>
internal static class Annotator
{
    public static readonly Rgb24 BoxColour = new(0, 230, 0);
    public static readonly Rgb24 LabelBackground = new(0, 0, 0);

    /// <summary>Left eye, right eye, nose, mouth left, mouth right.</summary>
    public static readonly IReadOnlyList<Rgb24> LandmarkColours =
    [
        new(255, 40, 40), new(40, 120, 255), new(255, 230, 0), new(255, 0, 255), new(0, 230, 230),
    ];

    public static Image<Rgb24> Annotate(Image<Rgb24> photo, IReadOnlyList<DetectedFace> faces)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(faces);
        Image<Rgb24> copy = photo.Clone();
        var style = Style.For(copy.Width, copy.Height);
        copy.ProcessPixelRows(pixels =>
        {
            var canvas = new PixelCanvas(pixels);
            foreach (DetectedFace face in faces.Where(IsDrawable))
            {
                DrawBox(canvas, face.Box, style);
            }

            foreach (DetectedFace face in faces.Where(IsDrawable))
            {
                Point2[] points = face.Landmarks.ToArray();
                for (int i = 0; i < points.Length; i++)
                {
                    canvas.FillDisc(points[i].X, points[i].Y, style.DotRadius, LandmarkColours[i]);
                }
            }

            foreach (DetectedFace face in faces.Where(IsDrawable))
            {
                DrawScore(canvas, face, style, pixels.Height);
            }
        });
        return copy;
    }

    private static void DrawBox(PixelCanvas canvas, FaceBox box, Style style)
    {
        (int x0, int y0, int x1, int y1) = Pixels(box);
        canvas.StrokeRect(x0, y0, x1, y1, style.Thickness, BoxColour);
    }

    private static void DrawScore(PixelCanvas canvas, DetectedFace face, Style style, int imageHeight)
    {
        string text = Math.Clamp(face.Score, 0f, 1f).ToString("0.000", CultureInfo.InvariantCulture);
        int pad = style.FontScale;
        int width = (BitmapFont.Width(text) * style.FontScale) + (2 * pad);
        int height = (BitmapFont.Height * style.FontScale) + (2 * pad);
        (int x0, int y0, _, _) = Pixels(face.Box);

        // Above the box when there is room, otherwise just inside its top edge.
        int top = y0 - height >= 0 ? y0 - height : Math.Clamp(y0, 0, Math.Max(imageHeight - height, 0));
        canvas.FillRect(x0, top, x0 + width, top + height, LabelBackground);
        canvas.DrawText(text, x0 + pad, top + pad, style.FontScale, BoxColour);
    }

    private static (int X0, int Y0, int X1, int Y1) Pixels(FaceBox box) =>
        ((int)MathF.Round(box.X1), (int)MathF.Round(box.Y1), (int)MathF.Round(box.X2), (int)MathF.Round(box.Y2));

    /// <summary>Coordinates far outside any image (or not numbers) would overflow the integer conversions.</summary>
    private static bool IsDrawable(DetectedFace face)
    {
        const float Limit = 1e6f;
        FaceBox b = face.Box;
        return face.Landmarks.ToArray().Append(new Point2(b.X1, b.Y1)).Append(new Point2(b.X2, b.Y2))
            .All(p => float.IsFinite(p.X) && float.IsFinite(p.Y) && MathF.Abs(p.X) < Limit && MathF.Abs(p.Y) < Limit);
    }

    /// <summary>Sizes proportional to the photo's shorter side: 2 px lines and 2× text on a 512 px photo.</summary>
    private readonly record struct Style(int Thickness, float DotRadius, int FontScale)
    {
        public static Style For(int width, int height)
        {
            int side = Math.Min(width, height);
            int thickness = Math.Max(1, (int)MathF.Round(side / 250f));
            return new Style(thickness, Math.Max(1.5f, thickness * 1.5f), Math.Max(1, (int)MathF.Round(side / 300f)));
        }
    }
}
