namespace FaceFunctions.Cli.Tests.Evaluation;

/// <summary>
/// The measurement data next to the repository (../shared): never committed, so tests that read it skip
/// themselves, visibly, where it is absent.
/// </summary>
internal static class SharedData
{
    public static string? Root { get; } = Find();

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root ?? throw new InvalidOperationException("../shared is absent"), .. parts]);

    private static string? Find()
    {
        var shared = System.IO.Path.GetFullPath(RepositoryPaths.Of("..", "shared"));
        return Directory.Exists(System.IO.Path.Combine(shared, "data", "wider-dev")) ? shared : null;
    }
}

/// <summary>A fact that runs only where ../shared exists, and says so in the test output otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Root is null)
        {
            Skip = "../shared (measurement data, never committed) is absent next to the repository.";
        }
    }
}
