using System.Text.Json;
using FaceFunctions.Detection.Tests;
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

        var run = await CliProcess.RunAsync("detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", output, "--annotate");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "astronaut.json")));
        var face = Assert.Single(document.RootElement.GetProperty("faces").EnumerateArray());
        Assert.Equal("astronaut.faces/0.jpg", face.GetProperty("crop").GetString());
        Assert.True(File.Exists(Path.Combine(output, "astronaut.faces", "0.jpg")));
        Assert.True(File.Exists(Path.Combine(output, "astronaut.annotated.jpg")));
        Assert.Contains("1 faces in 1 photos", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymize_writes_a_privacy_copy_with_the_face_blurred_and_the_rest_kept()
    {
        var output = Path.Combine(_work, "out");

        var run = await CliProcess.RunAsync("detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", output, "--anonymize", "--no-crops");

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
        File.WriteAllText(Path.Combine(folder, "broken.jpg"), "not a photo");

        var run = await CliProcess.RunAsync("detect", folder, "--out", Path.Combine(_work, "out"), "--jsonl", "-", "--no-crops");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var documents = lines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(d => Path.GetFileName(d.GetProperty("source").GetProperty("name").GetString()!));
        Assert.Single(documents["astronaut.png"].GetProperty("faces").EnumerateArray());
        Assert.Empty(documents["coffee.png"].GetProperty("faces").EnumerateArray());
        Assert.Equal("UnsupportedFormat", documents["broken.jpg"].GetProperty("error").GetProperty("code").GetString());
        Assert.True(File.Exists(Path.Combine(_work, "out", "nested", "coffee.json")), "folder structure is kept under --out");
        Assert.False(Directory.Exists(Path.Combine(_work, "out", "astronaut.faces")), "--no-crops writes no crops");
    }

    [Fact]
    public async Task Globs_select_photos_across_folders()
    {
        var folder = Path.Combine(_work, "g");
        Directory.CreateDirectory(Path.Combine(folder, "a", "b"));
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "a", "b", "one.png"));
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "a", "two.png"));
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "skip.jpg"));

        var run = await CliProcess.RunAsync("detect", Path.Combine(folder, "**", "*.png"), "--out", Path.Combine(_work, "out"), "--jsonl", "-");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(2, run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Nothing_to_read_exits_with_one()
    {
        var run = await CliProcess.RunAsync("detect", Path.Combine(_work, "missing.jpg"), "--out", Path.Combine(_work, "out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no input photo", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("detect", "--no-such-option", "x.jpg")]
    [InlineData("detect")]
    [InlineData("detect", "x.jpg", "--min-face", "5")]
    public async Task Usage_errors_exit_with_two(params string[] args)
    {
        var run = await CliProcess.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.StandardError, StringComparison.OrdinalIgnoreCase);
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
