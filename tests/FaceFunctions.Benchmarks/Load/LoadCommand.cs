using System.Diagnostics;
using System.Reflection;

namespace FaceFunctions.Benchmarks.Load;

/// <summary>
/// <c>load [options]</c>: the issue-11 load run (docs/reliability.md, "Load"). The photos are rendered by a child
/// process (<c>load-generate DIR [options]</c>) into a temporary folder, so the memory measured is the processor's
/// alone and not that of drawing 100-megapixel pictures; the folder is deleted at the end, whatever happens.
/// Exit code 0 when every photo has its result, 1 when one does not (or the run failed), 2 for wrong arguments.
/// </summary>
internal static class LoadCommand
{
    public const string Name = "load";
    public const string GenerateName = "load-generate";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (!TryParse(args, out var options))
        {
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var photos = LoadMix.Create(options);
        Console.WriteLine("mix: " + LoadReport.Mix(photos));
        var folder = Directory.CreateTempSubdirectory("ff-load-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            await GenerateInChildAsync(options, folder, cancel.Token);
            Console.WriteLine($"generated in {watch.Elapsed.TotalSeconds:N0} s (a child process) into {folder}");
            var report = await LoadRun.RunAsync(options, photos, folder, Console.Out, cancel.Token);
            report.Write(Console.Out);
            return report.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("load: cancelled");
            return 1;
        }
        catch (InvalidOperationException e)
        {
            // Azurite not installed or not starting, the photos not generated: the message says which.
            await Console.Error.WriteLineAsync("load: " + e.Message);
            return 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary><c>load-generate DIR [options]</c>: renders the mix the options describe into DIR.</summary>
    public static int Generate(IReadOnlyList<string> args)
    {
        if (args.Count < 1 || !TryParse(args.Skip(1).ToArray(), out var options))
        {
            return 2;
        }

        using var writer = new LoadPhotoWriter(options.Scenes);
        writer.WriteAll(LoadMix.Create(options), args[0]);
        return 0;
    }

    private static bool TryParse(IReadOnlyList<string> args, out LoadOptions options)
    {
        try
        {
            options = LoadOptions.Parse(args);
            return true;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            options = new LoadOptions();
            return false;
        }
    }

    /// <summary>This program again (the apphost, or dotnet with this assembly), with <c>load-generate</c>.</summary>
    private static async Task GenerateInChildAsync(LoadOptions options, string folder, CancellationToken cancellationToken)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add(GenerateName);
        start.ArgumentList.Add(folder);
        foreach (string argument in options.PhotoSetArguments())
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        try
        {
            await child.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }

        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"Generating the photos failed (exit code {child.ExitCode}).");
        }
    }
}
