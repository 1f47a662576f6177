using System.CommandLine;
using System.Text.Json;
using FaceFunctions.Cli.Evaluation;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Pipeline;
using static FaceFunctions.Cli.Tests.Evaluation.Docs;

namespace FaceFunctions.Cli.Tests.Evaluation;

public sealed class EvalCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ff-eval-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Reports_the_numbers_on_stdout_and_as_json()
    {
        var annotations = WriteSet();
        var detector = new ReplayDetector(_dir.FullName, ByName(
            Document("images/a.jpg", Det(600, 600, 700, 700, 0.95f), Det(0, 0, 100, 100, 0.8f)),
            Document("images/b.jpg", Det(200, 0, 300, 100, 0.7f))));
        var reportPath = Path.Combine(_dir.FullName, "report.json");

        var (exit, stdout, stderr) = Run(detector, "--annotations", annotations, "--report", reportPath, "--min-face", "24", "--threads", "2");

        Assert.True(exit == 0, stderr);
        Assert.Contains("0.6667", stdout, StringComparison.Ordinal);
        Assert.Equal(24, detector.Options!.Detection.MinFaceSize);
        Assert.Equal(2, detector.Options.Inference.Threads);
        Assert.True(detector.Disposed);
        using var report = JsonDocument.Parse(File.ReadAllText(reportPath));
        var all = report.RootElement.GetProperty("evaluation").GetProperty("all");
        Assert.Equal(2.0 / 3, all.GetProperty("averagePrecision").GetDouble(), 12);
        Assert.Equal(0.5, report.RootElement.GetProperty("evaluation").GetProperty("falsePositivesPerImage").GetDouble(), 12);
        Assert.False(report.RootElement.TryGetProperty("parity", out _));
    }

    [Fact]
    public void Jsonl_to_stdout_leaves_stdout_to_the_documents_and_the_report_to_stderr()
    {
        var annotations = WriteSet();
        var detector = new ReplayDetector(_dir.FullName, ByName(Document("images/a.jpg", Det(0, 0, 100, 100, 0.8f))));

        var (exit, stdout, stderr) = Run(detector, "--annotations", annotations, "--jsonl", "-");

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => JsonSerializer.Deserialize(l, DetectionDocumentJsonContext.Default.DetectionDocument));
        Assert.Contains("AP", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_adds_the_agreement_table()
    {
        var annotations = WriteSet();
        var referencePath = Path.Combine(_dir.FullName, "reference.jsonl");
        File.WriteAllLines(referencePath, [
            """{"image": "elsewhere/images/a.jpg", "faces": [{"box": [0, 0, 100, 100], "score": 0.9, "landmarks": [[10, 10], [90, 10], [50, 50], [12, 90], [88, 90]]}]}""",
        ]);
        var detector = new ReplayDetector(_dir.FullName, ByName(Document("images/a.jpg", Det(0, 0, 100, 100, 0.8f))));
        var reportPath = Path.Combine(_dir.FullName, "report.json");

        var (exit, stdout, _) = Run(detector, "--annotations", annotations, "--reference", referencePath, "--report", reportPath);

        Assert.Equal(0, exit);
        Assert.Contains("Agreement with the reference", stdout, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(reportPath));
        Assert.Equal(1, report.RootElement.GetProperty("parity").GetProperty("matchRate").GetDouble());
    }

    [Fact]
    public void Images_under_another_root_are_found_with_images()
    {
        var annotations = WriteSet(imagesUnder: "photos");
        var detector = new ReplayDetector(Path.Combine(_dir.FullName, "photos"), ByName(Document("images/a.jpg", Det(0, 0, 100, 100, 0.8f))));

        var (withoutRoot, _, stderr) = Run(detector, "--annotations", annotations);
        var (withRoot, _, _) = Run(detector, "--annotations", annotations, "--images", Path.Combine(_dir.FullName, "photos"));

        Assert.Equal(1, withoutRoot);
        Assert.Contains("--images", stderr, StringComparison.Ordinal);
        Assert.Equal(0, withRoot);
    }

    [Theory]
    [InlineData("--min-face", "5")]
    [InlineData("--threads", "-1")]
    public void Nonsense_options_are_usage_errors(string option, string value)
    {
        var annotations = WriteSet();

        var (exit, _, stderr) = Run(new ReplayDetector(_dir.FullName, ByName()), "--annotations", annotations, option, value);

        Assert.NotEqual(0, exit);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public void Missing_or_broken_annotations_fail_with_a_message()
    {
        var broken = Path.Combine(_dir.FullName, "broken.json");
        File.WriteAllText(broken, "[{\"image\": ");

        var (missingExit, _, _) = Run(new ReplayDetector(_dir.FullName, ByName()));
        var (brokenExit, _, stderr) = Run(new ReplayDetector(_dir.FullName, ByName()), "--annotations", broken);

        Assert.NotEqual(0, missingExit);
        Assert.Equal(1, brokenExit);
        Assert.Contains("broken.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_report_fails_before_any_detection()
    {
        var annotations = WriteSet();
        var detector = new ReplayDetector(_dir.FullName, ByName());

        var (exit, _, stderr) = Run(detector, "--annotations", annotations, "--report", Path.Combine(_dir.FullName, "no", "such", "dir", "r.json"));

        Assert.Equal(1, exit);
        Assert.Null(detector.Options);
        Assert.Contains("r.json", stderr, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void Replaying_the_reference_on_wider_dev_gives_score_py_numbers()
    {
        var annotations = SharedData.Path("data", "wider-dev", "annotations.json");
        var referencePath = SharedData.Path("reference", "facenet-pytorch-wider-dev.jsonl");
        var truth = AnnotationReader.Read(annotations);
        var root = Path.GetDirectoryName(annotations)!;
        var detector = new ReplayDetector(root, ImageKeys.ByAnnotatedImage(truth, DetectionsReader.ReadJsonl(referencePath)));
        var reportPath = Path.Combine(_dir.FullName, "report.json");

        var (exit, stdout, stderr) = Run(detector, "--annotations", annotations, "--reference", referencePath, "--report", reportPath);

        Assert.True(exit == 0, stderr);
        Assert.Contains("0.7543", stdout, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(reportPath));
        Assert.Equal(0.7543465313830575, report.RootElement.GetProperty("evaluation").GetProperty("all").GetProperty("averagePrecision").GetDouble(), 9);
        Assert.Equal(1, report.RootElement.GetProperty("parity").GetProperty("matchRate").GetDouble());
        Assert.Equal(0, report.RootElement.GetProperty("parity").GetProperty("landmarkError").GetDouble());
    }

    private static (int Exit, string Stdout, string Stderr) Run(ReplayDetector detector, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliApp.RunAsync(["eval", .. args], (options, _) => detector.Start(options), new InvocationConfiguration { Output = stdout, Error = stderr })
            .GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Two annotated photos (placeholder files: the replaying detector never decodes them).</summary>
    private string WriteSet(string imagesUnder = "")
    {
        var root = Path.Combine(_dir.FullName, imagesUnder);
        Directory.CreateDirectory(Path.Combine(root, "images"));
        File.WriteAllBytes(Path.Combine(root, "images", "a.jpg"), []);
        File.WriteAllBytes(Path.Combine(root, "images", "b.jpg"), []);
        var path = Path.Combine(_dir.FullName, "annotations.json");
        File.WriteAllText(path, """
            [{"image": "images/a.jpg", "width": 1000, "height": 1000, "faces": [{"box": [0, 0, 100, 100], "ignore": false, "wider_level": "easy"}]},
             {"image": "images/b.jpg", "width": 1000, "height": 1000, "faces": [{"box": [200, 0, 300, 100], "ignore": false, "wider_level": "hard"}]}]
            """);
        return path;
    }

    /// <summary>
    /// A detector that answers with detections already made (by another detector or by hand), looked up by
    /// the photo's path relative to the images root; a photo it has no answer for gets no faces.
    /// </summary>
    private sealed class ReplayDetector(string root, IReadOnlyDictionary<string, DetectionDocument> answers) : IPhotoPipeline
    {
        public PipelineOptions? Options { get; private set; }

        public bool Disposed { get; private set; }

        public DetectorInfo Detector { get; } = new() { Models = new string('0', 64), MinFaceSize = 20, ScaleFactor = 0.709f, Thresholds = [0.6f, 0.7f, 0.7f] };

        public ReplayDetector Start(PipelineOptions options)
        {
            (Options, Disposed) = (options, false);
            return this;
        }

        public Task<PhotoResult> ProcessAsync(Stream photo, string sourceName, CancellationToken cancellationToken = default)
        {
            var key = Path.GetRelativePath(root, sourceName).Replace('\\', '/');
            var document = (answers.TryGetValue(key, out var answer) ? answer : Document(key)) with { Source = new SourceInfo { Name = sourceName } };
            return Task.FromResult(new PhotoResult { Document = document });
        }

        public void Dispose() => Disposed = true;
    }
}
