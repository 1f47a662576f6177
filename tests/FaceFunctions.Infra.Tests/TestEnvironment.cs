using System.Reflection;

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
}
