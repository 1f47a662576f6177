using System.CommandLine;
using FaceFunctions.Cli.Commands;

namespace FaceFunctions.Cli;

/// <summary>
/// The <c>facefunctions</c> command tree. Every command takes its writers from the invocation and its pipeline
/// from the factory given here, so tests run any command in process with their own writers.
/// </summary>
internal static class CliApp
{
    public static RootCommand Create(PipelineFactory createPipeline) =>
        new("facefunctions: MTCNN face detection on local photos, the same pipeline the Azure functions run")
        {
            DetectCommand.Create(createPipeline),
            BenchCommand.Create(),
            EvalCommand.Create(createPipeline),
            new Command("local", "Work with a local function host and storage emulator") { LocalUploadCommand.Create() },
        };

    /// <summary>Parses and runs; usage errors are one line each on stderr and exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static Task<int> RunAsync(string[] args, PipelineFactory createPipeline, InvocationConfiguration? invocation = null, CancellationToken cancellationToken = default)
    {
        invocation ??= new InvocationConfiguration();
        var parse = Create(createPipeline).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                invocation.Error.WriteLine($"error: {error.Message}");
            }

            invocation.Error.WriteLine("Run 'facefunctions --help' for usage.");
            return Task.FromResult(ExitCodes.Usage);
        }

        return parse.InvokeAsync(invocation, cancellationToken);
    }
}
