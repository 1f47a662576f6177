namespace FaceFunctions.Cli.Inputs;

/// <summary>A photo to process: its full path, and the name its outputs are written under (relative, no extension).</summary>
internal readonly record struct InputPhoto(string Path, string OutputName);

/// <summary>An input path that is not processed, and why (reported as a warning, not fatal).</summary>
internal readonly record struct SkippedInput(string Path, string Reason);

/// <summary>
/// Turns the command line's files, folders and globs into photos. Folders are searched recursively for the
/// extensions we can decode; a glob's wildcards (*, ?, **) may appear in any path segment.
/// </summary>
/// <remarks>
/// Uploads can be hostile, and so can folders: only regular files (or links to them) are ever opened; FIFOs,
/// sockets and devices are skipped with a warning, since opening one can block for ever. The walk follows links
/// to folders but enters each real folder once and yields each real file once (by device and inode), so link
/// loops neither repeat files nor grow without bound: the work and memory follow the number of real files.
/// </remarks>
internal static class InputExpander
{
    public static readonly IReadOnlySet<string> PhotoExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".jpe", ".png", ".webp", ".bmp", ".gif" };

    /// <summary>Returns the photos, the inputs that matched nothing and the paths skipped (all reported, none fatal).</summary>
    public static (IReadOnlyList<InputPhoto> Photos, IReadOnlyList<string> Missing, IReadOnlyList<SkippedInput> Skipped) Expand(IEnumerable<string> inputs)
    {
        var photos = new List<InputPhoto>();
        var missing = new List<string>();
        var skipped = new List<SkippedInput>();
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in inputs)
        {
            int before = photos.Count, skippedBefore = skipped.Count;
            foreach (var (path, relative, node) in Resolve(input, skipped))
            {
                if (seenFiles.Add(node.Identity))
                {
                    photos.Add(new InputPhoto(Path.GetFullPath(path), UniqueName(relative, usedNames)));
                }
            }

            if (photos.Count == before && skipped.Count == skippedBefore)
            {
                missing.Add(input);
            }
        }

        return (photos, missing, skipped);
    }

    private static IEnumerable<(string Path, string Relative, FileNode Node)> Resolve(string input, List<SkippedInput> skipped)
    {
        FileNode node = FileNode.Of(input);
        switch (node.Kind)
        {
            case FileKind.Regular:
                // A file named explicitly is taken whatever its extension: the loader decides what it is.
                return [(input, Path.GetFileName(input), node)];
            case FileKind.Directory:
                return Walk(input, relative => PhotoExtensions.Contains(Path.GetExtension(relative)), skipped);
            case FileKind.Special:
                skipped.Add(new SkippedInput(input, "not a regular file (a FIFO, socket or device)"));
                return [];
            case FileKind.Unreadable:
                skipped.Add(new SkippedInput(input, node.Problem ?? "cannot be read"));
                return [];
            default:
                return input.AsSpan().IndexOfAny('*', '?') >= 0 ? Glob(input, skipped) : [];
        }
    }

    private static IEnumerable<(string Path, string Relative, FileNode Node)> Glob(string pattern, List<SkippedInput> skipped)
    {
        // The root is the longest leading part without wildcards; outputs keep paths relative to it.
        var segments = pattern.Replace('\\', '/').Split('/');
        int firstWild = Array.FindIndex(segments, s => s.AsSpan().IndexOfAny('*', '?') >= 0);
        string root = firstWild == 0 ? "." : string.Join('/', segments[..firstWild]);
        if (root.Length == 0)
        {
            root = "/";
        }

        if (FileNode.Of(root).Kind != FileKind.Directory)
        {
            return [];
        }

        var matcher = new GlobPattern(segments[firstWild..]);
        return Walk(root, relative => matcher.IsMatch(relative.Replace('\\', '/')), skipped);
    }

    /// <summary>
    /// Files under <paramref name="root"/> whose relative path <paramref name="wanted"/> accepts, depth first in
    /// ordinal name order, each real folder entered once. Lazily: nothing but the folders still to visit is held.
    /// </summary>
    private static IEnumerable<(string Path, string Relative, FileNode Node)> Walk(string root, Func<string, bool> wanted, List<SkippedInput> skipped)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal) { FileNode.Of(root).Identity };
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            string folder = pending.Pop();
            string[] entries;
            try
            {
                entries = Directory.GetFileSystemEntries(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                skipped.Add(new SkippedInput(folder, "folder cannot be read"));
                continue;
            }

            Array.Sort(entries, StringComparer.Ordinal);
            var subfolders = new List<string>();
            foreach (string entry in entries)
            {
                FileNode node = FileNode.Of(entry);
                string relative = Path.GetRelativePath(root, entry);
                switch (node.Kind)
                {
                    case FileKind.Directory:
                        if (visited.Add(node.Identity))
                        {
                            subfolders.Add(entry);
                        }

                        break;
                    case FileKind.Regular when wanted(relative):
                        yield return (entry, relative, node);
                        break;
                    case FileKind.Special when wanted(relative):
                        skipped.Add(new SkippedInput(entry, "not a regular file (a FIFO, socket or device)"));
                        break;
                    case FileKind.Unreadable when wanted(relative):
                        skipped.Add(new SkippedInput(entry, node.Problem ?? "cannot be read"));
                        break;
                }
            }

            for (int i = subfolders.Count - 1; i >= 0; i--)
            {
                pending.Push(subfolders[i]);
            }
        }
    }

    private static string UniqueName(string relative, HashSet<string> used)
    {
        // A name that is only an extension (".png") keeps it: without, its outputs would have no name at all.
        var stem = Path.GetFileNameWithoutExtension(relative).Length == 0 ? relative : Path.ChangeExtension(relative, null);
        var withoutExtension = stem.Replace('\\', '/');
        var name = withoutExtension;
        for (int i = 2; !used.Add(name); i++)
        {
            name = $"{withoutExtension}~{i}";
        }

        return name;
    }
}
