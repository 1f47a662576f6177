using System.CommandLine;
using FaceFunctions.Cli.Commands;
using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.Cli.Tests.Commands;

/// <summary>
/// Runs a facefunctions command in this process, as the executable would (same command tree, real pipeline unless
/// a test gives another factory), with stdout and stderr captured apart.
/// </summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>The lines on stdout, which with <c>--jsonl -</c> must all be JSON documents.</summary>
        public string[] OutputLines => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(PhotoPipeline.Create, args);

    public static async Task<Result> RunAsync(PipelineFactory createPipeline, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await CliApp.RunAsync(args, createPipeline, new InvocationConfiguration { Output = stdout, Error = stderr });
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }
}
