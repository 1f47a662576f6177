namespace FaceFunctions.Detection.Mtcnn;

/// <summary>One level of the image pyramid: the scale MTCNN maps boxes back with, and the resampled size.</summary>
internal readonly record struct PyramidLevel(float Scale, int Width, int Height);

/// <summary>The pyramid MTCNN's authors scan: 12/minFace × factor^k while the shorter side stays ≥ 12 px.</summary>
internal static class PyramidScales
{
    public static IReadOnlyList<PyramidLevel> For(int width, int height, int minFaceSize, float factor)
    {
        var levels = new List<PyramidLevel>();
        float m = 12f / minFaceSize;
        float minLength = Math.Min(width, height) * m;
        float scale = m;
        while (minLength >= 12f)
        {
            // facenet-pytorch sizes a level as int(h * scale + 1); the reference numbers were produced that way,
            // and the extra pixel only adds one P-Net cell at the far edge.
            levels.Add(new PyramidLevel(scale, (int)((width * scale) + 1), (int)((height * scale) + 1)));
            scale *= factor;
            minLength *= factor;
        }

        return levels;
    }
}
