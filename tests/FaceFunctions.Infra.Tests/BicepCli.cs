using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FaceFunctions.Infra.Tests;

/// <summary>The outcome of one Bicep CLI run: its exit code and everything it printed.</summary>
internal readonly record struct BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe() => $"exit code {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>Runs the Bicep CLI restored from NuGet (a self-contained executable in the package's tools folder).</summary>
internal static class BicepCli
{
    // Every environment variable infra/main.bicepparam reads: a developer's shell must not leak into the tests.
    private static readonly string[] ParameterVariables =
    [
        "AZURE_ENV_NAME", "AZURE_LOCATION", "HOSTING_MODE", "FLEX_MAXIMUM_INSTANCE_COUNT", "FLEX_INSTANCE_MEMORY_MB",
        "GPU_PROFILE_TYPE", "GPU_MAX_REPLICAS", "SERVICE_APP_IMAGE_NAME", "WRITE_ANNOTATED", "WRITE_ANONYMIZED",
        "MAX_CONCURRENT_DETECTIONS", "MEMORY_BUDGET_MEGABYTES", "SCAN_SCHEDULE",
    ];

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> Executable = new(PrepareExecutable);

    public static BicepResult Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in ParameterVariables)
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    private static string PrepareExecutable()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                "The infrastructure tests use Azure.Bicep.CommandLine.linux-x64 and run on Linux x64 only.");
        }

        var path = BuildMetadata.Get("BicepCliPath");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI is not where the PackageDownload of Azure.Bicep.CommandLine.linux-x64 puts it: {path}. " +
                "Run `dotnet restore tests/FaceFunctions.Infra.Tests`.", path);
        }

        // NuGet extraction does not always keep the executable bit.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute;
        if ((mode & execute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }

        return path;
    }
}
