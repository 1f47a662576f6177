using System.CommandLine;
using Azure.Storage.Blobs;
using FaceFunctions.Cli.Inputs;
using FaceFunctions.Cli.Output;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using Spectre.Console;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// <c>facefunctions detect</c>: runs the pipeline on local photos and writes documents and crops; with
/// --connection or --account-url, on the photos of a storage account instead (<see cref="StorageDetect"/>).
/// </summary>
internal static class DetectCommand
{
    public static Command Create(PipelineFactory createPipeline, Func<BlobClientOptions> storageClientOptions)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Photos, folders (searched recursively) or globs (none in storage mode)", Arity = ArgumentArity.ZeroOrMore };
        inputs.Validators.Add(CommonOptions.RejectUnknownOptions);
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "facefunctions-out" };
        var jsonl = CommonOptions.JsonLines();
        var minFace = CommonOptions.MinFace();
        var noCrops = new Option<bool>("--no-crops") { Description = "Do not write aligned face crops" };
        var cropSize = new Option<int>("--crop-size") { Description = "Side of the aligned crops in pixels", DefaultValueFactory = _ => 112 };
        var annotate = new Option<bool>("--annotate") { Description = "Also write name.annotated.jpg with boxes, scores and landmarks drawn" };
        var anonymize = new Option<bool>("--anonymize") { Description = "Also write name.anonymized.jpg with every detected face blurred (a privacy copy)" };
        var threads = CommonOptions.Threads();
        var provider = CommonOptions.Provider();
        var border = CommonOptions.Border();
        var command = new Command("detect", "Find faces in photos; write name.json, name.faces/i.jpg and optionally name.annotated.jpg and name.anonymized.jpg")
        {
            inputs, output, jsonl, minFace, noCrops, cropSize, annotate, anonymize, threads, provider, border,
        };
        var storage = StorageDetect.AddTo(command, storageClientOptions);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = Terminal.For(parse);
            if (storage.IsRequested(parse) == parse.GetValue(inputs) is { Length: > 0 })
            {
                return terminal.Fail("give photos to detect, or --connection/--account-url to detect the photos of a storage account", ExitCodes.Usage);
            }

            var (photos, missing, skipped) = storage.IsRequested(parse) ? ([], [], []) : InputExpander.Expand(parse.GetValue(inputs)!);
            int requestedThreads = parse.GetValue(threads);
            int totalThreads = requestedThreads == 0 ? Environment.ProcessorCount : requestedThreads;
            // Two photos in flight overlap one's decoding with the other's inference; the thread cap is split between them.
            int concurrency = Math.Max(1, Math.Min(storage.IsRequested(parse) ? int.MaxValue : photos.Count, Math.Min(2, totalThreads)));
            var options = terminal.Validated(() => new PipelineOptions
            {
                // A negative cap stays negative, so the core's range check reports it as the usage error it is.
                Inference = new InferenceOptions { ExecutionProvider = parse.GetValue(provider), Threads = totalThreads < 0 ? totalThreads : Math.Max(1, totalThreads / concurrency) },
                Detection = new DetectionOptions { MinFaceSize = parse.GetValue(minFace), Border = parse.GetValue(border) },
                Output = new OutputOptions
                {
                    WriteCrops = !parse.GetValue(noCrops),
                    CropSize = parse.GetValue(cropSize),
                    WriteAnnotated = parse.GetValue(annotate),
                    WriteAnonymized = parse.GetValue(anonymize),
                },
            });
            if (options is null)
            {
                return ExitCodes.Usage;
            }

            if (storage.IsRequested(parse))
            {
                return await storage.RunAsync(parse, terminal, createPipeline, options, concurrency, parse.GetValue(jsonl), cancellationToken);
            }

            foreach (var m in missing)
            {
                terminal.Warn($"no photo matches '{m}'");
            }

            foreach (var s in skipped)
            {
                terminal.Warn($"skipped '{s.Path}': {s.Reason}");
            }

            if (photos.Count == 0)
            {
                return terminal.Fail("no input photo found", ExitCodes.Failed);
            }

            using var pipeline = terminal.Start(createPipeline.Invoke, options);
            if (pipeline is null)
            {
                return ExitCodes.DetectorUnavailable;
            }

            return await Run(terminal, pipeline, photos, parse.GetValue(output)!, parse.GetValue(jsonl), concurrency, cancellationToken);
        });
        return command;
    }

    private static async Task<int> Run(Terminal terminal, IPhotoPipeline pipeline, IReadOnlyList<InputPhoto> photos, string outputDirectory, string? jsonl, int concurrency, CancellationToken cancellationToken)
    {
        var console = terminal.Error;
        var writer = new DetectionOutputWriter(outputDirectory);
        using var lines = jsonl is null ? null : JsonLinesWriter.Open(jsonl, terminal.Output);
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
                    var result = await pipeline.ProcessAsync(stream, photo.Path, ct);
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
        return unreadable == photos.Count ? ExitCodes.Failed : ExitCodes.Success;
    }
}
