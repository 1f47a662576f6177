using System.Text.Json.Serialization;

namespace FaceFunctions.Cli.Evaluation;

/// <summary>Detection quality on one subset of the ground-truth faces.</summary>
/// <param name="AveragePrecision">VOC all-point interpolated AP at IoU 0.5.</param>
/// <param name="Recall">Share of the scorable faces found, with every detection counted.</param>
/// <param name="Precision">Share of the scored detections that are hits, with every detection counted.</param>
/// <param name="TruePositives">Detections matching a scorable face.</param>
/// <param name="FalsePositives">Detections matching no face.</param>
/// <param name="Positives">Scorable faces (not ignored, and within the level).</param>
/// <param name="IgnoredMatches">Detections that matched an ignored face and were therefore not scored.</param>
public readonly record struct LevelScore(
    double AveragePrecision, double Recall, double Precision, int TruePositives, int FalsePositives, int Positives, int IgnoredMatches);

/// <summary>
/// How a detector does against ground truth: overall and per WIDER level (each level includes the easier ones,
/// faces of harder levels are ignored, so "hard" equals "all" on a set where every face has a level).
/// </summary>
/// <param name="Images">Annotated images.</param>
/// <param name="ImagesMissing">Annotated images with no detection document: their faces all count as missed.</param>
/// <param name="ImagesFailed">Images whose document is an error: likewise no detections.</param>
/// <param name="All">Every face not marked ignore.</param>
/// <param name="Easy">WIDER's easy faces.</param>
/// <param name="Medium">Easy and medium faces.</param>
/// <param name="Hard">Easy, medium and hard faces.</param>
public sealed record EvaluationReport(
    int Images, int ImagesMissing, int ImagesFailed, LevelScore All, LevelScore Easy, LevelScore Medium, LevelScore Hard)
{
    public double FalsePositivesPerImage => Images == 0 ? 0 : (double)All.FalsePositives / Images;
}

/// <summary>How closely detections reproduce a reference detector's faces on the same images.</summary>
/// <param name="ReferenceFaces">Faces the reference found.</param>
/// <param name="Matched">Reference faces with a detection at IoU ≥ <paramref name="IouThreshold"/>.</param>
/// <param name="IouThreshold">The IoU a match needs.</param>
/// <param name="MedianIou">Median over reference faces (on images present in both) of the best IoU.</param>
/// <param name="ExtraFaces">Detections not paired (at IoU ≥ 0.5) with any reference face.</param>
/// <param name="ImagesMissing">Reference images with no detection document.</param>
/// <param name="LandmarkError">
/// Mean over matched faces of the mean distance between corresponding landmarks, divided by the
/// reference box's diagonal; null when no matched face has landmarks on both sides.
/// </param>
public sealed record ParityReport(
    int ReferenceFaces, int Matched, double IouThreshold, double MedianIou, int ExtraFaces, int ImagesMissing, double? LandmarkError)
{
    public double MatchRate => ReferenceFaces == 0 ? 0 : (double)Matched / ReferenceFaces;
}

/// <summary>What <c>eval --report</c> writes.</summary>
public sealed record EvaluationOutput(string Annotations, EvaluationReport Evaluation, ParityReport? Parity);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(EvaluationOutput))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
