using System.Text.Json;

namespace FaceFunctions.Cli.Tests.Commands;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ff-bench-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Each_photo_gets_one_json_line_on_stdout_and_a_table_row_on_stderr()
    {
        var run = await CliRun.RunAsync("bench", Fixtures.PathOf(Fixtures.Astronaut), Fixtures.PathOf(Fixtures.Coffee), "--repeat", "3", "--warmup", "1", "--threads", "1");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(2, run.OutputLines.Length);
        var lines = run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(Fixtures.PathOf(Fixtures.Astronaut), lines[0].GetProperty("image").GetString());
        Assert.Equal(Fixtures.PathOf(Fixtures.Coffee), lines[1].GetProperty("image").GetString());
        Assert.Equal(1, lines[0].GetProperty("faces").GetInt32());
        Assert.Equal(0, lines[1].GetProperty("faces").GetInt32());
        foreach (var line in lines)
        {
            Assert.True(line.GetProperty("width").GetInt32() > 0 && line.GetProperty("height").GetInt32() > 0);
            var times = line.GetProperty("timesMs").EnumerateArray().Select(t => t.GetDouble()).ToArray();
            Assert.Equal(3, times.Length);
            Assert.All(times, t => Assert.True(t > 0, $"a run took {t} ms"));
            Assert.Equal(times.Min(), line.GetProperty("minMs").GetDouble());
            Assert.Equal(times.Order().ElementAt(1), line.GetProperty("medianMs").GetDouble());
            Assert.True(line.GetProperty("decodeMs").GetDouble() > 0);
            var stages = line.GetProperty("stagesMs");
            Assert.True(stages.GetProperty("pnet").GetDouble() > 0);
            Assert.All(["pyramid", "rnet", "onet"], stage => Assert.True(stages.GetProperty(stage).GetDouble() >= 0));
        }

        Assert.Contains("models verified and loaded", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("median ms", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("astronaut.png", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("coffee.png", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jsonl_to_a_file_leaves_stdout_empty()
    {
        var lines = Path.Combine(_work, "bench.jsonl");

        var run = await CliRun.RunAsync("bench", Fixtures.PathOf(Fixtures.Camera), "--repeat", "1", "--warmup", "0", "--jsonl", lines);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Empty(run.StandardOutput);
        using var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(lines)));
        Assert.Equal(512, line.RootElement.GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task A_photo_that_cannot_be_read_exits_with_one()
    {
        var run = await CliRun.RunAsync("bench", Path.Combine(_work, "missing.png"), "--repeat", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("missing.png", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cuda_where_it_cannot_load_exits_with_three()
    {
        var run = await CliRun.RunAsync("bench", Fixtures.PathOf(Fixtures.Astronaut), "--provider", "cuda");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("CUDA", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(run.StandardOutput);
    }
}
