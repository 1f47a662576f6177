using FaceFunctions.Cli.Evaluation;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;

namespace FaceFunctions.Cli.Tests.Evaluation;

/// <summary>Builds small annotated sets and detection documents for hand-computed cases.</summary>
internal static class Docs
{
    public static AnnotatedFace Face(float x1, float y1, float x2, float y2, bool ignore = false, WiderLevel? level = WiderLevel.Easy) =>
        new(new FaceBox(x1, y1, x2, y2), ignore, level);

    public static AnnotatedImage Image(string name, params AnnotatedFace[] faces) => new(name, 1000, 1000, faces);

    /// <summary>A detection exactly on a ground-truth face's box.</summary>
    public static FaceRecord On(AnnotatedFace face, float score) => Det(face.Box.X1, face.Box.Y1, face.Box.X2, face.Box.Y2, score);

    public static FaceRecord Det(float x1, float y1, float x2, float y2, float score) => new()
    {
        Box = [x1, y1, x2, y2],
        Score = score,
        Landmarks = new LandmarksRecord(
            [x1 + 10, y1 + 10],
            [x2 - 10, y1 + 10],
            [((x1 + x2) / 2), (y1 + y2) / 2],
            [x1 + 12, y2 - 10],
            [x2 - 12, y2 - 10]),
    };

    public static DetectionDocument Document(string name, params FaceRecord[] faces) => new() { Source = new SourceInfo { Name = name }, Faces = faces };

    public static Dictionary<string, DetectionDocument> ByName(params DetectionDocument[] documents) =>
        documents.ToDictionary(d => d.Source.Name, StringComparer.Ordinal);
}
