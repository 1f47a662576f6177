using FaceFunctions.Detection;

namespace FaceFunctions.Cli.Evaluation;

/// <summary>WIDER FACE's difficulty levels; each level also contains the easier ones.</summary>
public enum WiderLevel
{
    Easy,
    Medium,
    Hard,
}

/// <summary>One ground-truth face.</summary>
/// <param name="Box">[x1, y1, x2, y2] in pixels.</param>
/// <param name="Ignore">
/// The face is too small or marked invalid: a detection on it is neither a hit nor a false positive,
/// and missing it is no miss.
/// </param>
/// <param name="Level">The WIDER level, when the set has one.</param>
public readonly record struct AnnotatedFace(FaceBox Box, bool Ignore, WiderLevel? Level);

/// <summary>One annotated photo; <paramref name="Image"/> is relative to the images root, with '/' separators.</summary>
public sealed record AnnotatedImage(string Image, int Width, int Height, IReadOnlyList<AnnotatedFace> Faces);
