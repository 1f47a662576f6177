using System.Text.RegularExpressions;

namespace FaceFunctions.Cli.Inputs;

/// <summary>Matches '/'-separated relative paths against glob segments: * and ? within a segment, ** across segments.</summary>
internal sealed class GlobPattern
{
    private readonly Regex _regex;

    public GlobPattern(IReadOnlyList<string> segments)
    {
        var parts = segments.Select(s => s == "**"
            ? "(?:.*/)?"
            : Regex.Escape(s).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + "/");
        var body = string.Concat(parts);
        // Every segment but a trailing ** ends in '/', which the file name does not have.
        body = body.EndsWith('/') ? body[..^1] : body + "[^/]*";
        _regex = new Regex("^" + body + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
    }

    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath);
}
