namespace FaceFunctions.ModelConverter.Tests;

/// <summary>Folders of the repository the tests run in, found by walking up to FaceFunctions.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    /// <summary>Where the npm tarball is cached between test runs (git-ignored).</summary>
    public static string NpmCache => Path.Combine(Root, ".cache", "npm");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FaceFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
