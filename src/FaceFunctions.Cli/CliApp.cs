using System.CommandLine;
using Azure.Storage.Blobs;
using FaceFunctions.Cli.Commands;

namespace FaceFunctions.Cli;

/// <summary>
/// The <c>facefunctions</c> command tree. Every command takes its writers from the invocation, its pipeline from
/// the factory given here and (storage mode) its storage client options from the one given here, so tests run any
/// command in process with their own writers, and storage mode against storage that fails on purpose.
/// </summary>
internal static class CliApp
{
    public static RootCommand Create(PipelineFactory createPipeline, Func<BlobClientOptions> storageClientOptions) =>
        new("facefunctions: MTCNN face detection on local photos, the same pipeline the Azure functions run")
        {
            DetectCommand.Create(createPipeline, storageClientOptions),
            BenchCommand.Create(),
            EvalCommand.Create(createPipeline),
            new Command("local", "Work with a local function host and storage emulator") { LocalUploadCommand.Create() },
        };

    /// <summary>Parses and runs; usage errors are one line each on stderr and exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static Task<int> RunAsync(string[] args, PipelineFactory createPipeline, InvocationConfiguration? invocation = null, CancellationToken cancellationToken = default) =>
        RunAsync(args, createPipeline, StorageDetect.DefaultClientOptions, invocation, cancellationToken);

    /// <summary>As above, with storage mode's clients built from <paramref name="storageClientOptions"/>.</summary>
    public static Task<int> RunAsync(string[] args, PipelineFactory createPipeline, Func<BlobClientOptions> storageClientOptions, InvocationConfiguration? invocation = null, CancellationToken cancellationToken = default)
    {
        invocation ??= new InvocationConfiguration();
        var parse = Create(createPipeline, storageClientOptions).Parse(args);
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
