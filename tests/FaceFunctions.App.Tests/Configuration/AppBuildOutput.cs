using System.Reflection;

namespace FaceFunctions.App.Tests.Configuration;

/// <summary>The function app's own build output (functions.metadata, host.json, the worker), in the configuration these tests were built in.</summary>
internal static class AppBuildOutput
{
    public static string Of(string file)
    {
        var configuration = typeof(AppBuildOutput).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        return RepositoryPaths.Of("src", "FaceFunctions.App", "bin", configuration, "net10.0", file);
    }
}
