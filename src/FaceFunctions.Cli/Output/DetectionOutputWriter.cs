using System.Text.Json;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.Cli.Output;

/// <summary>
/// Writes a photo's results under the output folder: <c>name.json</c>, <c>name.faces/i.jpg</c>,
/// <c>name.annotated.jpg</c> and <c>name.anonymized.jpg</c>. Crops go first and the document last, so a document
/// never names a missing crop.
/// </summary>
internal sealed class DetectionOutputWriter(string outputDirectory)
{
    public DetectionDocument Write(string outputName, PhotoResult result)
    {
        var basePath = Path.Combine(outputDirectory, outputName);
        Directory.CreateDirectory(Path.GetDirectoryName(basePath)!);
        var facesDirectory = basePath + ".faces";
        ClearStaleCrops(facesDirectory);
        if (result.Crops.Count > 0)
        {
            Directory.CreateDirectory(facesDirectory);
        }

        foreach (var crop in result.Crops)
        {
            WriteFile(Path.Combine(facesDirectory, crop.Index + crop.Image.Extension), crop.Image.Data);
        }

        if (result.Annotated is { } annotated)
        {
            WriteFile(basePath + ".annotated" + annotated.Extension, annotated.Data);
        }

        if (result.Anonymized is { } anonymized)
        {
            WriteFile(basePath + ".anonymized" + anonymized.Extension, anonymized.Data);
        }

        var document = result.DocumentWithCrops(crop => Path.GetRelativePath(outputDirectory, Path.Combine(facesDirectory, crop.Index + crop.Image.Extension)).Replace('\\', '/'));
        WriteFile(basePath + ".json", JsonSerializer.SerializeToUtf8Bytes(document, DetectionDocumentJsonContext.Default.DetectionDocument));
        return document;
    }

    /// <summary>A photo processed again may have fewer faces than last time: its old crops must not linger.</summary>
    private static void ClearStaleCrops(string facesDirectory)
    {
        if (!Directory.Exists(facesDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(facesDirectory))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(file), out _))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Writes through a temporary file and a rename, so an interrupted run leaves no half-written file.</summary>
    private static void WriteFile(string path, ReadOnlyMemory<byte> data)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(data.Span);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
