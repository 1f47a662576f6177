namespace FaceFunctions.Cli.Inputs;

/// <summary>A photo to process: its full path, and the name its outputs are written under (relative, no extension).</summary>
internal readonly record struct InputPhoto(string Path, string OutputName);

/// <summary>
/// Turns the command line's files, folders and globs into photos. Folders are searched recursively for the
/// extensions we can decode; a glob's wildcards (*, ?, **) may appear in any path segment.
/// </summary>
internal static class InputExpander
{
    public static readonly IReadOnlySet<string> PhotoExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".jpe", ".png", ".webp", ".bmp", ".gif" };

    /// <summary>Returns the photos, plus the inputs that matched nothing (reported, not fatal).</summary>
    public static (IReadOnlyList<InputPhoto> Photos, IReadOnlyList<string> Missing) Expand(IEnumerable<string> inputs)
    {
        var photos = new List<InputPhoto>();
        var missing = new List<string>();
        var seenPaths = new HashSet<string>(StringComparer.Ordinal);
        var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in inputs)
        {
            int before = photos.Count;
            foreach (var (path, relative) in Resolve(input))
            {
                var full = Path.GetFullPath(path);
                if (seenPaths.Add(full))
                {
                    photos.Add(new InputPhoto(full, UniqueName(relative, usedNames)));
                }
            }

            if (photos.Count == before)
            {
                missing.Add(input);
            }
        }

        return (photos, missing);
    }

    private static IEnumerable<(string Path, string Relative)> Resolve(string input)
    {
        if (File.Exists(input))
        {
            // A file named explicitly is taken whatever its extension: the loader decides what it is.
            return [(input, Path.GetFileName(input))];
        }

        if (Directory.Exists(input))
        {
            return Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                .Where(f => PhotoExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, Path.GetRelativePath(input, f)));
        }

        return input.AsSpan().IndexOfAny('*', '?') >= 0 ? Glob(input) : [];
    }

    private static IEnumerable<(string Path, string Relative)> Glob(string pattern)
    {
        // The root is the longest leading part without wildcards; outputs keep paths relative to it.
        var segments = pattern.Replace('\\', '/').Split('/');
        int firstWild = Array.FindIndex(segments, s => s.AsSpan().IndexOfAny('*', '?') >= 0);
        string root = firstWild == 0 ? "." : string.Join('/', segments[..firstWild]);
        if (root.Length == 0)
        {
            root = "/";
        }

        if (!Directory.Exists(root))
        {
            return [];
        }

        var matcher = new GlobPattern(segments[firstWild..]);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Path: f, Relative: Path.GetRelativePath(root, f)))
            .Where(f => matcher.IsMatch(f.Relative.Replace('\\', '/')))
            .OrderBy(f => f.Path, StringComparer.Ordinal);
    }

    private static string UniqueName(string relative, HashSet<string> used)
    {
        var withoutExtension = Path.ChangeExtension(relative, null).Replace('\\', '/');
        var name = withoutExtension;
        for (int i = 2; !used.Add(name); i++)
        {
            name = $"{withoutExtension}~{i}";
        }

        return name;
    }
}
