using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace FaceFunctions.Cli.Tests.Tool;

/// <summary>
/// facefunctions as a .NET tool, the way a user gets it: `dotnet pack` the CLI, `dotnet tool install` the package
/// into a tool path from that folder alone (a NuGet config with no other source, so nothing is fetched), and run the
/// installed `facefunctions detect`. The models travel inside the package and are still verified when they load.
/// One to two minutes (the pack publishes the CLI): filter it out with --filter "Category!=ToolPackage" while iterating.
/// </summary>
[Trait("Category", "ToolPackage")]
public sealed class ToolPackageTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ff-tool-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task The_packed_tool_installs_into_a_tool_path_and_detects_with_its_own_verified_models()
    {
        var packages = Path.Combine(_work.FullName, "packages");
        var toolPath = Path.Combine(_work.FullName, "tools");
        var output = Path.Combine(_work.FullName, "out");
        var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

        var pack = await RunAsync("dotnet", "pack", Path.Combine(RepositoryPaths.Root, "src", "FaceFunctions.Cli"), "-c", configuration, "-o", packages);
        Assert.True(pack.ExitCode == 0, pack.Describe());
        var package = Assert.Single(Directory.GetFiles(packages, "FaceFunctions.Cli.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["FaceFunctions.Cli.".Length..];

        var install = await RunAsync(
            "dotnet", "tool", "install", "FaceFunctions.Cli", "--version", version, "--tool-path", toolPath, "--configfile", WriteNuGetConfig(packages));
        Assert.True(install.ExitCode == 0, install.Describe());

        var facefunctions = Path.Combine(toolPath, "facefunctions");
        var detect = await RunAsync(facefunctions, "detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", output, "--anonymize");
        Assert.True(detect.ExitCode == 0, detect.Describe());
        using (var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "astronaut.json"))))
        {
            Assert.Single(document.RootElement.GetProperty("faces").EnumerateArray());
        }

        Assert.True(File.Exists(Path.Combine(output, "astronaut.faces", "0.jpg")));
        Assert.True(File.Exists(Path.Combine(output, "astronaut.anonymized.jpg")));

        // The installed models are the ones the detector checks: alter one and the tool refuses to start (exit 3).
        var onet = Assert.Single(Directory.GetFiles(toolPath, "onet.onnx", SearchOption.AllDirectories));
        Assert.EndsWith(Path.Combine("tools", "net10.0", "any", "models", "onet.onnx"), onet, StringComparison.Ordinal);
        await using (var model = File.OpenWrite(onet))
        {
            model.Seek(-1, SeekOrigin.End);
            model.WriteByte(0x5A);
        }

        var altered = await RunAsync(facefunctions, "detect", Fixtures.PathOf(Fixtures.Astronaut), "--out", output);
        Assert.True(altered.ExitCode == 3, altered.Describe());
        Assert.Contains("onet.onnx", altered.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A NuGet config whose only source is the folder the package was packed to.</summary>
    private string WriteNuGetConfig(string packages)
    {
        var path = Path.Combine(_work.FullName, "nuget.config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        return path;
    }

    private async Task<ProcessResult> RunAsync(string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _work.FullName,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host's own MSBuild and .NET host settings must not leak into the nested dotnet commands.
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key == "DOTNET_HOST_PATH").ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult($"{fileName} {string.Join(' ', args)}", process.ExitCode, await stdout, await stderr);
    }

    private sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
    {
        public string Describe() => $"{Command}: exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
    }
}
