using System.CommandLine;
using FaceFunctions.Cli.Inputs;
using FaceFunctions.Cli.Output;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using Spectre.Console;

namespace FaceFunctions.Cli.Commands;

/// <summary><c>facefunctions detect</c>: runs the pipeline on local photos and writes documents and crops.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Photos, folders (searched recursively) or globs", Arity = ArgumentArity.OneOrMore };
        inputs.Validators.Add(CommonOptions.RejectUnknownOptions);
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "facefunctions-out" };
        var jsonl = CommonOptions.JsonLines();
        var minFace = CommonOptions.MinFace();
        var noCrops = new Option<bool>("--no-crops") { Description = "Do not write aligned face crops" };
        var cropSize = new Option<int>("--crop-size") { Description = "Side of the aligned crops in pixels", DefaultValueFactory = _ => 112 };
        var annotate = new Option<bool>("--annotate") { Description = "Also write name.annotated.jpg with boxes, scores and landmarks drawn" };
        var threads = CommonOptions.Threads();
        var provider = CommonOptions.Provider();
        var border = CommonOptions.Border();
        var command = new Command("detect", "Find faces in photos; write name.json, name.faces/i.jpg and optionally name.annotated.jpg")
        {
            inputs, output, jsonl, minFace, noCrops, cropSize, annotate, threads, provider, border,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = Terminal.Error;
            var (photos, missing, skipped) = InputExpander.Expand(parse.GetValue(inputs)!);
            int totalThreads = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount;
            // Two photos in flight overlap one's decoding with the other's inference; the thread cap is split between them.
            int concurrency = Math.Max(1, Math.Min(photos.Count, Math.Min(2, totalThreads)));
            PipelineSettings settings;
            try
            {
                settings = new PipelineSettings
                {
                    Detector = new DetectorSettings { ExecutionProvider = parse.GetValue(provider), Threads = Math.Max(1, totalThreads / concurrency) },
                    Detection = new DetectionOptions { MinFaceSize = parse.GetValue(minFace), Border = parse.GetValue(border) },
                    WriteCrops = !parse.GetValue(noCrops),
                    CropSize = parse.GetValue(cropSize),
                    Annotate = parse.GetValue(annotate),
                }.Validate();
            }
            catch (ArgumentException ex)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return ExitCodes.Usage;
            }

            foreach (var m in missing)
            {
                console.MarkupLineInterpolated($"[yellow]warning:[/] no photo matches '{m}'");
            }

            foreach (var s in skipped)
            {
                console.MarkupLineInterpolated($"[yellow]warning:[/] skipped '{s.Path}': {s.Reason}");
            }

            if (photos.Count == 0)
            {
                console.MarkupLine("[red]error:[/] no input photo found");
                return ExitCodes.NoInput;
            }

            return await Run(photos, settings, parse.GetValue(output)!, parse.GetValue(jsonl), concurrency, cancellationToken);
        });
        return command;
    }

    private static async Task<int> Run(IReadOnlyList<InputPhoto> photos, PipelineSettings settings, string outputDirectory, string? jsonl, int concurrency, CancellationToken cancellationToken)
    {
        var console = Terminal.Error;
        using var pipeline = CommonOptions.StartPipeline(settings);
        if (pipeline is null)
        {
            return ExitCodes.DetectorUnavailable;
        }

        var writer = new DetectionOutputWriter(outputDirectory);
        using var lines = jsonl is null ? null : JsonLinesWriter.Open(jsonl);
        var results = new DetectionSummary.Row[photos.Count];
        int unreadable = 0;

        async Task ProcessAll(Action advance)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, photos.Count), parallel, async (i, ct) =>
            {
                var photo = photos[i];
                try
                {
                    await using var stream = new FileStream(photo.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                    var result = pipeline.Process(stream, photo.Path, ct);
                    var document = writer.Write(photo.OutputName, result);
                    lines?.Write(document, DetectionDocumentJsonContext.Default.DetectionDocument);
                    results[i] = DetectionSummary.Row.From(photo, document);
                }
                catch (IOException ex)
                {
                    Interlocked.Increment(ref unreadable);
                    results[i] = new DetectionSummary.Row(photo.Path, null, null, $"cannot read: {ex.Message}");
                }
                catch (UnauthorizedAccessException ex)
                {
                    Interlocked.Increment(ref unreadable);
                    results[i] = new DetectionSummary.Row(photo.Path, null, null, $"cannot read: {ex.Message}");
                }

                advance();
            });
        }

        if (photos.Count > 1 && console.Profile.Capabilities.Interactive)
        {
            await console.Progress().AutoClear(true).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("detecting", maxValue: photos.Count);
                await ProcessAll(() => task.Increment(1));
            });
        }
        else
        {
            await ProcessAll(() => { });
        }

        DetectionSummary.Print(console, results, outputDirectory);
        return unreadable == photos.Count ? ExitCodes.NoInput : ExitCodes.Success;
    }
}
