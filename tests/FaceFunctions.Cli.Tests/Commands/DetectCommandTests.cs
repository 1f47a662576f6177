using System.Text.Json;
using FaceFunctions.Detection.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Cli.Tests.Commands;

public sealed class DetectCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ff-cli-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task A_photo_gets_a_document_and_its_crops()
    {
        var output = Path.Combine(_work, "out");

        var run = await CliRun.RunAsync("detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", output, "--annotate");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "astronaut.json")));
        var face = Assert.Single(document.RootElement.GetProperty("faces").EnumerateArray());
        Assert.Equal("astronaut.faces/0.jpg", face.GetProperty("crop").GetString());
        Assert.True(File.Exists(Path.Combine(output, "astronaut.faces", "0.jpg")));
        Assert.True(File.Exists(Path.Combine(output, "astronaut.annotated.jpg")));
        Assert.Contains("1 faces in 1 photos", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(run.StandardOutput);
    }

    [Fact]
    public async Task Anonymize_writes_a_privacy_copy_with_the_face_blurred_and_the_rest_kept()
    {
        var output = Path.Combine(_work, "out");

        var run = await CliRun.RunAsync("detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", output, "--anonymize", "--no-crops");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "astronaut.json")));
        var box = Assert.Single(document.RootElement.GetProperty("faces").EnumerateArray()).GetProperty("box");
        var (x1, y1, x2, y2) = (box[0].GetDouble(), box[1].GetDouble(), box[2].GetDouble(), box[3].GetDouble());
        using var original = Image.Load<Rgb24>(Fixtures.PathOf(Fixtures.Astronaut));
        using var copy = Image.Load<Rgb24>(Path.Combine(output, "astronaut.anonymized.jpg"));
        Assert.Equal(original.Size(), copy.Size());
        // Inside the face the detail is gone; in a corner far from it the copy is the photo (JPEG noise aside).
        var face = new Rectangle((int)(x1 + ((x2 - x1) / 4)), (int)(y1 + ((y2 - y1) / 4)), (int)((x2 - x1) / 2), (int)((y2 - y1) / 2));
        var corner = new Rectangle(original.Width - 60, original.Height - 60, 50, 50);
        Assert.True(MeanDifference(original, copy, face) > 4 * MeanDifference(original, copy, corner), "the face is blurred, the rest is kept");
        Assert.False(File.Exists(Path.Combine(output, "astronaut.annotated.jpg")));
    }

    [Fact]
    public async Task Jsonl_to_stdout_prints_only_one_document_per_photo()
    {
        var folder = Path.Combine(_work, "photos");
        Directory.CreateDirectory(Path.Combine(folder, "nested"));
        File.Copy(Fixtures.PathOf(Fixtures.Astronaut), Path.Combine(folder, "astronaut.png"));
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "nested", "coffee.png"));
        File.Copy(Fixtures.PathOf(Fixtures.Camera), Path.Combine(folder, "camera.png"));
        File.WriteAllText(Path.Combine(folder, "broken.jpg"), "not a photo");

        var run = await CliRun.RunAsync("detect", folder, "--out", Path.Combine(_work, "out"), "--jsonl", "-", "--no-crops");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(4, run.OutputLines.Length);
        var documents = run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(d => Path.GetFileName(d.GetProperty("source").GetProperty("name").GetString()!));
        Assert.Equal(["astronaut.png", "broken.jpg", "camera.png", "coffee.png"], documents.Keys.Order(StringComparer.Ordinal));
        Assert.Single(documents["astronaut.png"].GetProperty("faces").EnumerateArray());
        Assert.Empty(documents["coffee.png"].GetProperty("faces").EnumerateArray());
        Assert.Equal("UnsupportedFormat", documents["broken.jpg"].GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("4 photos", run.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_work, "out", "nested", "coffee.json")), "folder structure is kept under --out");
        Assert.False(Directory.Exists(Path.Combine(_work, "out", "astronaut.faces")), "--no-crops writes no crops");
    }

    [Fact]
    public async Task Jsonl_to_a_file_holds_the_documents_and_stdout_stays_empty()
    {
        var lines = Path.Combine(_work, "documents.jsonl");

        var run = await CliRun.RunAsync("detect", Fixtures.PathOf(Fixtures.Astronaut), Fixtures.PathOf(Fixtures.Chelsea), "--out", Path.Combine(_work, "out"), "--jsonl", lines);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Empty(run.StandardOutput);
        Assert.Equal(2, File.ReadAllLines(lines).Length);
    }

    [Fact]
    public async Task Globs_select_photos_across_folders()
    {
        var folder = Path.Combine(_work, "g");
        Directory.CreateDirectory(Path.Combine(folder, "a", "b"));
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "a", "b", "one.png"));
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "a", "two.png"));
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "skip.jpg"));

        var run = await CliRun.RunAsync("detect", Path.Combine(folder, "**", "*.png"), "--out", Path.Combine(_work, "out"), "--jsonl", "-");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(2, run.OutputLines.Length);
    }

    [Fact]
    public async Task Nothing_to_read_exits_with_one()
    {
        var run = await CliRun.RunAsync("detect", Path.Combine(_work, "missing.jpg"), "--out", Path.Combine(_work, "out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no input photo", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(run.StandardOutput);
    }

    [Fact]
    public async Task Cuda_where_it_cannot_load_exits_with_three()
    {
        // Like the detector's own test: this build (CPU) or these machines (no GPU) cannot load CUDA.
        var run = await CliRun.RunAsync("detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", Path.Combine(_work, "out"), "--provider", "cuda");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("CUDA", run.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work, "out")), "nothing is written when the detector cannot start");
    }

    [Fact]
    public async Task A_missing_models_folder_exits_with_three()
    {
        var missing = Path.Combine(_work, "no-models");

        var run = await CliRun.RunAsync(
            (options, logger) => PhotoPipeline.Create(options with { ModelsDirectory = missing }, logger),
            "detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", Path.Combine(_work, "out"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("missing", run.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work, "out")), "nothing is written when the detector cannot start");
    }

    private static double MeanDifference(Image<Rgb24> a, Image<Rgb24> b, Rectangle region)
    {
        double sum = 0;
        for (int y = region.Top; y < region.Bottom; y++)
        {
            for (int x = region.Left; x < region.Right; x++)
            {
                sum += Math.Abs(a[x, y].R - b[x, y].R) + Math.Abs(a[x, y].G - b[x, y].G) + Math.Abs(a[x, y].B - b[x, y].B);
            }
        }

        return sum / (3.0 * region.Width * region.Height);
    }
}
