namespace FaceFunctions.Cli.Tests.Commands;

/// <summary>A wrong command line is reported on stderr, exits with 2 and starts no detector.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("detect", "--no-such-option", "x.jpg")]
    [InlineData("detect")]
    [InlineData("detect", "x.jpg", "--min-face", "5")]
    [InlineData("detect", "x.jpg", "--crop-size", "0")]
    [InlineData("detect", "x.jpg", "--threads", "-1")]
    [InlineData("detect", "x.jpg", "--provider", "tpu")]
    [InlineData("bench")]
    [InlineData("bench", "x.png", "--repeat", "0")]
    [InlineData("bench", "x.png", "--warmup", "-1")]
    [InlineData("bench", "x.png", "--min-face", "5")]
    [InlineData("bench", "x.png", "--threads", "-1")]
    [InlineData("bench", "x.png", "--no-such-option")]
    public async Task Exit_with_two(params string[] args)
    {
        var run = await CliRun.RunAsync(
            (_, _) => throw new InvalidOperationException("a usage error must not start the detector"),
            args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("must not start", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(run.StandardOutput);
    }
}
