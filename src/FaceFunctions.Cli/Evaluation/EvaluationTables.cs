using System.Globalization;
using Spectre.Console;

namespace FaceFunctions.Cli.Evaluation;

/// <summary>The human-readable form of the evaluation: one table per report.</summary>
public static class EvaluationTables
{
    public static void Render(IAnsiConsole console, EvaluationReport evaluation, ParityReport? parity)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(evaluation);
        var table = new Table().Title("Detection against ground truth (IoU 0.5)")
            .AddColumns("level", "AP", "recall", "precision", "hits", "false pos.", "faces", "on ignored");
        foreach (var (name, score) in new[] { ("all", evaluation.All), ("easy", evaluation.Easy), ("medium", evaluation.Medium), ("hard", evaluation.Hard) })
        {
            table.AddRow(name, F(score.AveragePrecision), Percent(score.Recall), Percent(score.Precision),
                I(score.TruePositives), I(score.FalsePositives), I(score.Positives), I(score.IgnoredMatches));
        }

        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        console.Write(table);
        console.MarkupLineInterpolated(
            $"{evaluation.Images} images, {evaluation.FalsePositivesPerImage:0.###} false positives per image, {evaluation.ImagesMissing} missing, {evaluation.ImagesFailed} unreadable.");
        if (parity is null)
        {
            return;
        }

        var comparison = new Table().Title("Agreement with the reference detector")
            .AddColumns("reference faces", $"found (IoU ≥ {parity.IouThreshold:0.##})", "median IoU", "landmark error", "extra", "missing images");
        comparison.AddRow(I(parity.ReferenceFaces), $"{I(parity.Matched)} ({Percent(parity.MatchRate)})", F(parity.MedianIou),
            parity.LandmarkError is { } e ? Percent(e, "0.00") : "n/a", I(parity.ExtraFaces), I(parity.ImagesMissing));
        console.Write(comparison);
        console.MarkupLine("Landmark error: mean distance to the reference's five points, as a share of the reference box's diagonal.");
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double value, string format = "0.0") => (value * 100).ToString(format, CultureInfo.InvariantCulture) + "%";
}
