using System.CommandLine;
using System.Text.Json;
using FaceFunctions.Cli.Evaluation;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;
using Spectre.Console;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// <c>facefunctions eval</c>: runs detection over an annotated set and reports AP at IoU 0.5 overall and per
/// WIDER level, recall, precision and false positives per image; with <c>--reference</c>, how closely the
/// reference detector's faces are reproduced.
/// </summary>
public static class EvalCommand
{
    /// <param name="createDetector">Builds the detector for the settings given on the command line; disposed after the run.</param>
    public static Command Create(Func<PhotoDetectorSettings, IPhotoDetector> createDetector)
    {
        ArgumentNullException.ThrowIfNull(createDetector);
        var annotations = new Option<FileInfo>("--annotations")
        {
            Description = "Ground truth: a JSON array of {image, width, height, faces: [{box: [x1, y1, x2, y2], ignore, wider_level}]}.",
            Required = true,
        }.AcceptExistingOnly();
        var images = new Option<DirectoryInfo>("--images")
        {
            Description = "Folder the annotations' image paths are relative to (default: the annotations file's folder).",
        }.AcceptExistingOnly();
        var reference = new Option<FileInfo>("--reference")
        {
            Description = "Another detector's output (detection documents or facenet-pytorch lines, JSONL) to compare with.",
        }.AcceptExistingOnly();
        var minFace = new Option<int>("--min-face")
        {
            Description = "Smallest face to detect, in pixels.",
            DefaultValueFactory = _ => DetectionOptions.Default.MinFaceSize,
        };
        minFace.Validators.Add(result =>
        {
            try
            {
                _ = new DetectionOptions { MinFaceSize = result.GetValueOrDefault<int>() }.Validate();
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message);
            }
        });
        var jsonl = new Option<string?>("--jsonl") { Description = "Also write every detection document, one per line, to this file ('-' for stdout)." };
        var threads = new Option<int?>("--threads") { Description = "Cap on the threads the detector uses." };
        threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--threads must be at least 1.");
            }
        });
        var border = CommonOptions.Border();
        var report = new Option<string?>("--report") { Description = "Also write the numbers as JSON to this file." };

        var command = new Command("eval", "Measure detection quality on an annotated set of photos (AP at IoU 0.5, per WIDER level).")
        {
            annotations, images, reference, minFace, jsonl, threads, border, report,
        };
        command.SetAction(parse =>
        {
            var annotationsFile = parse.GetRequiredValue(annotations);
            var run = new EvalRun(
                annotationsFile.FullName,
                parse.GetValue(images)?.FullName ?? annotationsFile.DirectoryName ?? ".",
                parse.GetValue(reference)?.FullName,
                new PhotoDetectorSettings(parse.GetValue(minFace), parse.GetValue(threads), parse.GetValue(border)),
                parse.GetValue(jsonl),
                parse.GetValue(report));
            return run.Execute(createDetector, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private sealed record EvalRun(
        string Annotations, string ImagesRoot, string? Reference, PhotoDetectorSettings Settings, string? Jsonl, string? Report)
    {
        private bool JsonlToStdout => Jsonl == "-";

        public int Execute(Func<PhotoDetectorSettings, IPhotoDetector> createDetector, TextWriter stdout, TextWriter stderr)
        {
            var errors = ConsoleOver(stderr);
            try
            {
                return Evaluate(createDetector, stdout, errors);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                errors.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return 1;
            }
        }

        private int Evaluate(Func<PhotoDetectorSettings, IPhotoDetector> createDetector, TextWriter stdout, IAnsiConsole errors)
        {
            var truth = AnnotationReader.Read(Annotations);
            var referenceDocuments = Reference is null ? null : DetectionsReader.ReadJsonl(Reference);
            var present = truth.Where(t => File.Exists(PathOf(t))).ToArray();
            if (present.Length == 0)
            {
                errors.MarkupLineInterpolated($"[red]error:[/] none of the {truth.Count} annotated images is under {ImagesRoot}; point --images at the folder their paths start from.");
                return 1;
            }

            if (present.Length < truth.Count)
            {
                errors.MarkupLineInterpolated($"[yellow]warning:[/] {truth.Count - present.Length} of {truth.Count} annotated images are missing under {ImagesRoot}; their faces count as missed.");
            }

            // Outputs are opened before the detection run, so a bad path fails in a second, not after an hour.
            using var reportFile = Report is null ? null : File.Create(Report);
            using var jsonlFile = Jsonl is null || JsonlToStdout ? null : new StreamWriter(Jsonl);
            var detections = Detect(createDetector, present, JsonlToStdout ? stdout : jsonlFile, errors);
            var evaluation = Evaluator.Evaluate(truth, detections);
            var parity = referenceDocuments is null
                ? null
                : Evaluator.CompareWithReference(ImageKeys.ByAnnotatedImage(truth, referenceDocuments), detections);

            // With --jsonl -, stdout carries only the documents, so the human report moves to stderr.
            EvaluationTables.Render(JsonlToStdout ? errors : ConsoleOver(stdout), evaluation, parity);
            if (reportFile is not null)
            {
                JsonSerializer.Serialize(reportFile, new EvaluationOutput(Annotations, evaluation, parity), ReportJsonContext.Default.EvaluationOutput);
            }

            return 0;
        }

        private Dictionary<string, DetectionDocument> Detect(
            Func<PhotoDetectorSettings, IPhotoDetector> createDetector, AnnotatedImage[] images, TextWriter? jsonl, IAnsiConsole errors)
        {
            var detections = new Dictionary<string, DetectionDocument>(StringComparer.Ordinal);
            using var detector = createDetector(Settings);
            errors.Progress().AutoClear(true).Start(progress =>
            {
                var task = progress.AddTask("detecting", maxValue: images.Length);
                foreach (var image in images)
                {
                    var document = detector.Detect(PathOf(image));
                    detections[image.Image] = document;
                    jsonl?.WriteLine(JsonSerializer.Serialize(document, DetectionDocumentJsonContext.Default.DetectionDocument));
                    task.Increment(1);
                }
            });
            jsonl?.Flush();
            return detections;
        }

        private string PathOf(AnnotatedImage image) => Path.Combine(ImagesRoot, image.Image);
    }

    private static IAnsiConsole ConsoleOver(TextWriter writer) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
}
