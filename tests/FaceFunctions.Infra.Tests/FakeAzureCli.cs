using System.Diagnostics;

namespace FaceFunctions.Infra.Tests;

/// <summary>
/// Runs infra/hooks/postdeploy.* against a stand-in `az` on PATH: a small script that logs each call and answers as
/// the real CLI does in the case under test (its error text taken from the real CLI's messages). `sleep` is a
/// stand-in too, logging its calls, so the hook's waits cost nothing. Everything lives in a temporary folder.
/// </summary>
internal sealed class FakeAzureCli : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("ff-fake-az-");

    /// <param name="answers">
    /// Arms of a bash <c>case "$*" in</c> over the az arguments, for example
    /// <c>account\ show*) echo "ERROR: ..." &gt;&amp;2; exit 1 ;;</c>. Any other call succeeds with no output.
    /// </param>
    public FakeAzureCli(params string[] answers)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_directory.FullName, "bin")).FullName;
        WriteScript(Path.Combine(bin, "az"), $"""
            #!/usr/bin/env bash
            echo "az $*" >> "{LogPath}"
            case "$*" in
            {string.Join("\n", answers)}
              *) exit 0 ;;
            esac
            """);
        WriteScript(Path.Combine(bin, "sleep"), $"""
            #!/usr/bin/env bash
            echo "sleep $*" >> "{LogPath}"
            """);
        BinDirectory = bin;
    }

    public string BinDirectory { get; }

    private string LogPath => Path.Combine(_directory.FullName, "calls.log");

    /// <summary>Every az and sleep call, in order.</summary>
    public IReadOnlyList<string> Calls => File.Exists(LogPath) ? File.ReadAllLines(LogPath) : [];

    public async Task<HookResult> RunAsync(string shell, string script, string mode)
    {
        var start = new ProcessStartInfo(shell)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        if (shell == "pwsh")
        {
            start.ArgumentList.Add("-NoProfile");
            start.ArgumentList.Add("-File");
        }

        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "infra", "hooks", script));
        start.Environment["PATH"] = $"{BinDirectory}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment.Remove("AZURE_SUBSCRIPTION_ID");
        foreach (var (name, value) in AzdEnvironment(mode))
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new HookResult(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    /// <summary>The main.bicep outputs azd puts in the hook's environment.</summary>
    private static Dictionary<string, string> AzdEnvironment(string mode) => new()
    {
        ["HOSTING_MODE"] = mode,
        ["AZURE_RESOURCE_GROUP"] = "rg-test",
        ["APP_NAME"] = mode == "gpu" ? "ca-test" : "func-test",
        ["APP_HOST_NAME"] = mode == "gpu" ? "ca-test.westus3.azurecontainerapps.io" : "func-test.azurewebsites.net",
        ["STORAGE_ACCOUNT_NAME"] = "sttest",
        ["PHOTOS_CONTAINER"] = "photos",
        ["DEADLETTER_CONTAINER"] = "eventgrid-deadletter",
        ["EVENTGRID_SYSTEM_TOPIC_NAME"] = "evgt-test",
    };

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        // The hooks run where bash (or pwsh) finds these on PATH: Linux and macOS, as on the build machines.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

internal sealed record HookResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public string Describe() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}
