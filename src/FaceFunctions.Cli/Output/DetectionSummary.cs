using FaceFunctions.Cli.Inputs;
using FaceFunctions.Detection.Documents;
using Spectre.Console;

namespace FaceFunctions.Cli.Output;

/// <summary>The readable table printed on stderr after <c>detect</c>.</summary>
internal static class DetectionSummary
{
    public sealed record Row(string Photo, int? Faces, double? Milliseconds, string? Error)
    {
        public static Row From(InputPhoto photo, DetectionDocument document) => document.Error is { } error
            ? new Row(photo.Path, null, null, $"{error.Code}: {error.Message}")
            : new Row(photo.Path, document.Faces?.Count ?? 0, document.TimingsMs?.Total, null);
    }

    public static void Print(IAnsiConsole console, IReadOnlyList<Row> rows, string outputDirectory)
    {
        var table = new Table().AddColumns("photo", "faces", "ms", "error");
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Photo),
                row.Faces?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                row.Milliseconds?.ToString("0", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                row.Error is null ? string.Empty : $"[red]{Markup.Escape(row.Error)}[/]");
        }

        console.Write(table);
        console.MarkupLineInterpolated($"{rows.Sum(r => r.Faces ?? 0)} faces in {rows.Count} photos; results in {Path.GetFullPath(outputDirectory)}");
    }
}
