namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// A band of one pyramid level scanned by one P-Net call: cell rows [FirstCellRow, +CellRows), which read the
/// level's input rows [InputRow, +InputRows).
/// </summary>
internal readonly record struct PNetTile(int Level, int FirstCellRow, int CellRows, int InputRow, int InputRows)
{
    /// <summary>
    /// Cuts every level into bands of at most about <paramref name="tilePixels"/> input pixels, largest first so
    /// parallel workers finish together. A band of n cell rows needs 2n + 10 input rows starting at an even row:
    /// P-Net's 2×2 pooling then lines up with the whole level's, and every cell sees exactly the pixels it would
    /// see untiled, so tiling changes no result.
    /// </summary>
    public static IReadOnlyList<PNetTile> Plan(IReadOnlyList<PyramidLevel> levels, int tilePixels)
    {
        var tiles = new List<PNetTile>();
        for (int l = 0; l < levels.Count; l++)
        {
            var level = levels[l];
            // P-Net's map: ceil(H/2) - 5 rows, for levels at least 12 pixels on each side.
            int mapHeight = ((level.Height + 1) / 2) - 5;
            if (mapHeight <= 0 || level.Width < 12)
            {
                continue;
            }

            int rowsPerTile = Math.Max(1, ((tilePixels / level.Width) - 10) / 2);
            for (int first = 0; first < mapHeight; first += rowsPerTile)
            {
                int rows = Math.Min(rowsPerTile, mapHeight - first);
                int inputRow = 2 * first;
                tiles.Add(new PNetTile(l, first, rows, inputRow, Math.Min((2 * rows) + 10, level.Height - inputRow)));
            }
        }

        tiles.Sort((a, b) => (b.InputRows * levels[b.Level].Width).CompareTo(a.InputRows * levels[a.Level].Width));
        return tiles;
    }
}
