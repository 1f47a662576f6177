namespace FaceFunctions.Detection.Rendering;

/// <summary>
/// A 7-pixel-high bitmap font with just what scores need: the digits and a decimal point.
/// Each glyph is a list of rows, '#' for ink.
/// </summary>
internal static class BitmapFont
{
    public const int Height = 7;

    /// <summary>Blank columns between glyphs, in font pixels.</summary>
    public const int Spacing = 1;

    private static readonly string[][] Digits =
    [
        [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
        ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
        [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
        ["####.", "....#", "....#", ".###.", "....#", "....#", "####."],
        ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
        ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
        ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
        ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
        [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
        [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
    ];

    private static readonly string[] Point = ["..", "..", "..", "..", "..", "##", "##"];

    public static string[] Glyph(char c) => c switch
    {
        >= '0' and <= '9' => Digits[c - '0'],
        '.' => Point,
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "The built-in font has only digits and '.'."),
    };

    /// <summary>Width of <paramref name="text"/> in font pixels, spacing included.</summary>
    public static int Width(string text)
    {
        int width = 0;
        foreach (char c in text)
        {
            width += Glyph(c)[0].Length + Spacing;
        }

        return Math.Max(width - Spacing, 0);
    }
}
