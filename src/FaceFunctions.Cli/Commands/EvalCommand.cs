using System.CommandLine;
using System.Text.Json;
using FaceFunctions.Cli.Evaluation;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Cli.Output;
using Spectre.Console;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// <c>facefunctions eval</c>: runs detection over an annotated set and reports AP at IoU 0.5 overall and per
/// WIDER level, recall, precision and false positives per image; with <c>--reference</c>, how closely the
/// reference detector's faces are reproduced.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(PipelineFactory createPipeline)
    {
        ArgumentNullException.ThrowIfNull(createPipeline);
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
        var minFace = CommonOptions.MinFace();
        var jsonl = CommonOptions.JsonLines();
        var threads = CommonOptions.Threads();
        var provider = CommonOptions.Provider();
        var border = CommonOptions.Border();
        var report = new Option<string?>("--report") { Description = "Also write the numbers as JSON to this file." };

        var command = new Command("eval", "Measure detection quality on an annotated set of photos (AP at IoU 0.5, per WIDER level).")
        {
            annotations, images, reference, minFace, jsonl, threads, provider, border, report,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = Terminal.For(parse);
            var options = terminal.Validated(() => new PipelineOptions
            {
                Inference = new InferenceOptions { ExecutionProvider = parse.GetValue(provider), Threads = parse.GetValue(threads) },
                Detection = new DetectionOptions { MinFaceSize = parse.GetValue(minFace), Border = parse.GetValue(border) },
                // eval reads documents only.
                Output = new OutputOptions { WriteCrops = false },
            });
            if (options is null)
            {
                return ExitCodes.Usage;
            }

            var annotationsFile = parse.GetRequiredValue(annotations);
            var run = new EvalRun(
                terminal,
                annotationsFile.FullName,
                parse.GetValue(images)?.FullName ?? annotationsFile.DirectoryName ?? ".",
                parse.GetValue(reference)?.FullName,
                parse.GetValue(jsonl),
                parse.GetValue(report));
            try
            {
                return await run.ExecuteAsync(createPipeline, options, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return terminal.Fail(e.Message, ExitCodes.Failed);
            }
        });
        return command;
    }

    private sealed record EvalRun(Terminal Terminal, string Annotations, string ImagesRoot, string? Reference, string? Jsonl, string? Report)
    {
        private bool JsonlToStdout => Jsonl == "-";

        public async Task<int> ExecuteAsync(PipelineFactory createPipeline, PipelineOptions options, CancellationToken cancellationToken)
        {
            var truth = AnnotationReader.Read(Annotations);
            var referenceDocuments = Reference is null ? null : DetectionsReader.ReadJsonl(Reference);
            var present = truth.Where(t => File.Exists(PathOf(t))).ToArray();
            if (present.Length == 0)
            {
                return Terminal.Fail($"none of the {truth.Count} annotated images is under {ImagesRoot}; point --images at the folder their paths start from.", ExitCodes.Failed);
            }

            if (present.Length < truth.Count)
            {
                Terminal.Warn($"{truth.Count - present.Length} of {truth.Count} annotated images are missing under {ImagesRoot}; their faces count as missed.");
            }

            // Outputs are opened before the detector starts, so a bad path fails in a second, not after an hour.
            using var reportFile = Report is null ? null : File.Create(Report);
            using var lines = Jsonl is null ? null : JsonLinesWriter.Open(Jsonl, Terminal.Output);
            using var pipeline = Terminal.Start(createPipeline.Invoke, options);
            if (pipeline is null)
            {
                return ExitCodes.DetectorUnavailable;
            }

            var detections = await DetectAsync(pipeline, present, lines, cancellationToken);
            var evaluation = Evaluator.Evaluate(truth, detections);
            var parity = referenceDocuments is null
                ? null
                : Evaluator.CompareWithReference(ImageKeys.ByAnnotatedImage(truth, referenceDocuments), detections);

            // With --jsonl -, stdout carries only the documents, so the human report moves to stderr.
            EvaluationTables.Render(JsonlToStdout ? Terminal.Error : Terminal.Over(Terminal.Output), evaluation, parity);
            if (reportFile is not null)
            {
                JsonSerializer.Serialize(reportFile, new EvaluationOutput(Annotations, evaluation, parity), ReportJsonContext.Default.EvaluationOutput);
            }

            return ExitCodes.Success;
        }

        private async Task<Dictionary<string, DetectionDocument>> DetectAsync(
            IPhotoPipeline pipeline, AnnotatedImage[] images, JsonLinesWriter? lines, CancellationToken cancellationToken)
        {
            var detections = new Dictionary<string, DetectionDocument>(StringComparer.Ordinal);
            await Terminal.Error.Progress().AutoClear(true).StartAsync(async progress =>
            {
                var task = progress.AddTask("detecting", maxValue: images.Length);
                foreach (var image in images)
                {
                    var path = PathOf(image);
                    await using var stream = File.OpenRead(path);
                    var document = (await pipeline.ProcessAsync(stream, path, cancellationToken)).Document;
                    detections[image.Image] = document;
                    lines?.Write(document, DetectionDocumentJsonContext.Default.DetectionDocument);
                    task.Increment(1);
                }
            });
            return detections;
        }

        private string PathOf(AnnotatedImage image) => Path.Combine(ImagesRoot, image.Image);
    }
}
