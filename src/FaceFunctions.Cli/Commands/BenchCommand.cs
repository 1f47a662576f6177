using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using FaceFunctions.Cli.Output;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using Spectre.Console;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// <c>facefunctions bench</c>: detection time on already decoded photos, the number the speed targets are set in.
/// Decoding is timed once and reported apart.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var photos = new Argument<string[]>("photos") { Description = "Photos to time", Arity = ArgumentArity.OneOrMore };
        photos.Validators.Add(CommonOptions.RejectUnknownOptions);
        var repeat = new Option<int>("--repeat") { Description = "Timed detections per photo", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed detections per photo first", DefaultValueFactory = _ => 2 };
        var threads = CommonOptions.Threads();
        var minFace = CommonOptions.MinFace();
        var provider = CommonOptions.Provider();
        var jsonl = CommonOptions.JsonLines();
        var command = new Command("bench", "Time detection on decoded photos: one JSON line per photo, a table on stderr")
        {
            photos, repeat, warmup, threads, minFace, provider, jsonl,
        };
        command.SetAction(parse =>
        {
            var terminal = Terminal.For(parse);
            int repeats = parse.GetValue(repeat), warmups = parse.GetValue(warmup);
            if (repeats < 1 || warmups < 0)
            {
                return terminal.Fail("--repeat must be at least 1 and --warmup at least 0", ExitCodes.Usage);
            }

            var options = terminal.Validated(() => new PipelineOptions
            {
                Inference = new InferenceOptions { ExecutionProvider = parse.GetValue(provider), Threads = parse.GetValue(threads) },
                Detection = new DetectionOptions { MinFaceSize = parse.GetValue(minFace) },
            });
            if (options is null)
            {
                return ExitCodes.Usage;
            }

            return Run(terminal, parse.GetValue(photos)!, options, repeats, warmups, parse.GetValue(jsonl) ?? "-");
        });
        return command;
    }

    private static int Run(Terminal terminal, string[] paths, PipelineOptions options, int repeats, int warmups, string jsonl)
    {
        var load = Stopwatch.StartNew();
        // Always the real pipeline: bench times its decoder and cascade apart, which no fake has.
        using var pipeline = terminal.Start(PhotoPipeline.Create, options);
        if (pipeline is null)
        {
            return ExitCodes.DetectorUnavailable;
        }

        // Start-up cost, the other half of a serverless cold start: verifying and loading the three models, and
        // how long after the process started the detector was ready.
        var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
        terminal.Error.MarkupLineInterpolated(
            $"models verified and loaded in {load.Elapsed.TotalMilliseconds:0} ms; detector ready {sinceStart.TotalMilliseconds:0} ms after process start");

        using var lines = JsonLinesWriter.Open(jsonl, terminal.Output);
        var table = new Table().AddColumns("photo", "size", "faces", "median ms", "min ms", "decode ms", "pyramid", "P-Net", "R-Net", "O-Net", "P-Net GFLOP/s");
        foreach (var path in paths)
        {
            LoadedImage loaded;
            var decode = Stopwatch.StartNew();
            try
            {
                loaded = pipeline.Loader.Load(path);
            }
            catch (Exception ex) when (ex is ImageRejectedException or IOException or UnauthorizedAccessException)
            {
                return terminal.Fail($"{path}: {ex.Message}", ExitCodes.Failed);
            }

            using (loaded)
            {
                double decodeMs = decode.Elapsed.TotalMilliseconds;
                var image = loaded.Image;
                for (int i = 0; i < warmups; i++)
                {
                    pipeline.Mtcnn.Detect(image, options.Detection);
                }

                var runs = new List<DetectionResult>(repeats);
                for (int i = 0; i < repeats; i++)
                {
                    runs.Add(pipeline.Mtcnn.Detect(image, options.Detection));
                }

                var line = BenchLine.From(path, image.Width, image.Height, decodeMs, runs, PNetArithmetic.Flops(image.Width, image.Height, options.Detection));
                lines.Write(line, BenchJsonContext.Default.BenchLine);
                table.AddRow(
                    Markup.Escape(path), $"{image.Width}x{image.Height}", F(line.Faces), F(line.MedianMs), F(line.MinMs), F(decodeMs),
                    F(line.StagesMs.Pyramid), F(line.StagesMs.PNet), F(line.StagesMs.RNet), F(line.StagesMs.ONet), F(line.PNetGflops));
            }
        }

        terminal.Error.Write(table);
        return ExitCodes.Success;
    }

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}

internal sealed record BenchStages(
    double Pyramid,
    [property: JsonPropertyName("pnet")] double PNet,
    [property: JsonPropertyName("rnet")] double RNet,
    [property: JsonPropertyName("onet")] double ONet);

/// <summary>
/// One photo's benchmark result; stage times are medians over the timed runs. <c>pnetGflops</c>: P-Net's useful
/// arithmetic (<see cref="PNetArithmetic"/>) divided by its median time.
/// </summary>
internal sealed record BenchLine(
    string Image, int Width, int Height, int Faces, double MedianMs, double MinMs, IReadOnlyList<double> TimesMs, double DecodeMs, BenchStages StagesMs,
    [property: JsonPropertyName("pnetGflops")] double PNetGflops)
{
    public static BenchLine From(string image, int width, int height, double decodeMs, IReadOnlyList<DetectionResult> runs, double pnetFlops)
    {
        var times = runs.Select(r => Math.Round(r.Timings.Total, 2)).ToArray();
        var stages = new BenchStages(
            Median(runs.Select(r => r.Timings.Pyramid)),
            Median(runs.Select(r => r.Timings.PNet)),
            Median(runs.Select(r => r.Timings.RNet)),
            Median(runs.Select(r => r.Timings.ONet)));
        return new BenchLine(
            image, width, height, runs[^1].Faces.Count,
            Median(times), times.Min(), times, Math.Round(decodeMs, 2), stages,
            stages.PNet > 0 ? Math.Round(pnetFlops / (stages.PNet * 1e6), 1) : 0);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double m = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return Math.Round(m, 2);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchLine))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
