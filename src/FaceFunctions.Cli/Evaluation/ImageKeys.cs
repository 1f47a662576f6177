using FaceFunctions.Detection.Documents;

namespace FaceFunctions.Cli.Evaluation;

/// <summary>Pairs detection documents with annotated images by path.</summary>
public static class ImageKeys
{
    /// <summary>
    /// Keys each document by the annotated image its <c>source.name</c> ends with, at a '/' boundary
    /// (so "../shared/data/wider-dev/images/a/b.jpg" pairs with "images/a/b.jpg"). A later document for the
    /// same image replaces an earlier one; documents for images outside the annotations are left out.
    /// </summary>
    public static Dictionary<string, DetectionDocument> ByAnnotatedImage(
        IReadOnlyList<AnnotatedImage> truth, IEnumerable<DetectionDocument> documents)
    {
        var images = truth.Select(t => t.Image).ToHashSet(StringComparer.Ordinal);
        var byImage = new Dictionary<string, DetectionDocument>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            if (Find(images, document.Source.Name) is { } image)
            {
                byImage[image] = document;
            }
        }

        return byImage;
    }

    private static string? Find(HashSet<string> images, string name)
    {
        var path = name.Replace('\\', '/');
        var start = 0;
        while (true)
        {
            if (images.Contains(path[start..]))
            {
                return path[start..];
            }

            var slash = path.IndexOf('/', start);
            if (slash < 0)
            {
                return null;
            }

            start = slash + 1;
        }
    }
}
