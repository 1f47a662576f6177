using System.Reflection;

namespace FaceFunctions.App.Tests;

/// <summary>Finds files of the repository and of the app's build output from the test's output folder.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The function app's build output for the configuration these tests were built in.</summary>
    public static string AppOutput(string file)
    {
        var configuration = typeof(RepoFiles).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        return Path("src", "FaceFunctions.App", "bin", configuration, "net10.0", file);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "FaceFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FaceFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
