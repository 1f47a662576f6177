namespace FaceFunctions.Tests;

/// <summary>The repository the tests were built from, as tests/Directory.Build.props records it in each test assembly.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Path.GetFullPath(BuildMetadata.Get("RepositoryRoot"));

    /// <summary>A file or folder of the repository, from its path below the root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);
}
