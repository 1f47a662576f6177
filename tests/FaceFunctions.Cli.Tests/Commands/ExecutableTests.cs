namespace FaceFunctions.Cli.Tests.Commands;

/// <summary>
/// What only the real executable shows: its exit code as the shell sees it. An immediate usage error once
/// crashed the process (exit code 139) while ONNX Runtime was still warming up on another thread.
/// </summary>
public sealed class ExecutableTests
{
    [Theory]
    [InlineData("detect", "--no-such-option", "x.jpg")]
    [InlineData("bench")]
    public async Task Usage_errors_exit_with_two(params string[] args)
    {
        var run = await CliProcess.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(run.StandardOutput);
    }

    [Fact]
    public async Task A_photo_is_detected_end_to_end()
    {
        var output = Directory.CreateTempSubdirectory("ff-exe-").FullName;
        try
        {
            var run = await CliProcess.RunAsync("detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", output, "--jsonl", "-");

            Assert.True(run.ExitCode == 0, run.StandardError);
            Assert.Single(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
