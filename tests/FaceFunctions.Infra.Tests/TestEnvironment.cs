using System.Reflection;
using System.Runtime.InteropServices;

namespace FaceFunctions.Infra.Tests;

/// <summary>Where the repository and the Bicep CLI restored from NuGet are, as recorded by the build.</summary>
internal static class TestEnvironment
{
    public static string RepoRoot { get; } = Path.GetFullPath(Metadata("RepoRoot"));

    public static string InfraDirectory { get; } = Path.Combine(RepoRoot, "infra");

    public static string BicepCliPath { get; } = Metadata("BicepCliPath");

    private static string Metadata(string key)
    {
        var value = typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value;
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"The build did not record '{key}' in the test assembly.")
            : value;
    }

    /// <summary>Fails with a clear message where the NuGet package's binary cannot run.</summary>
    public static void RequireLinuxX64()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                "The infrastructure tests use Azure.Bicep.CommandLine.linux-x64 and run on Linux x64 only.");
        }
    }
}
