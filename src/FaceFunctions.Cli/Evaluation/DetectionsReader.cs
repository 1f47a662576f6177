using System.Text.Json;
using System.Text.Json.Serialization;
using FaceFunctions.Detection.Documents;

namespace FaceFunctions.Cli.Evaluation;

/// <summary>
/// Reads detections, one JSON object per line, in either of two shapes: our detection documents, or the
/// facenet-pytorch peer's lines <c>{"image", "width", "height", "faces": [{"box", "score", "landmarks": [[x, y] x5]}]}</c>
/// (what ../shared/reference holds), which become detection documents named after their "image".
/// </summary>
public static class DetectionsReader
{
    /// <exception cref="InvalidDataException">A line is neither shape; the message gives its number.</exception>
    public static IReadOnlyList<DetectionDocument> ReadJsonl(string path)
    {
        var documents = new List<DetectionDocument>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                documents.Add(Parse(line));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a detection line: {e.Message}", e);
            }
        }

        return documents;
    }

    private static DetectionDocument Parse(string line)
    {
        using var probe = JsonDocument.Parse(line);
        if (probe.RootElement.ValueKind == JsonValueKind.Object && probe.RootElement.TryGetProperty("source", out _))
        {
            return JsonSerializer.Deserialize(line, DetectionDocumentJsonContext.Default.DetectionDocument)
                ?? throw new JsonException("null document");
        }

        var peer = probe.RootElement.Deserialize(PeerJsonContext.Default.PeerLine) ?? throw new JsonException("null line");
        if (string.IsNullOrEmpty(peer.Image))
        {
            throw new JsonException("neither \"source\" nor \"image\"");
        }

        return new DetectionDocument
        {
            Source = new SourceInfo { Name = peer.Image, Width = peer.Width, Height = peer.Height },
            Faces = (peer.Faces ?? []).Select(ToFace).ToArray(),
        };
    }

    private static FaceRecord ToFace(PeerFace face)
    {
        if (face.Box is not { Length: 4 } || face.Landmarks is not { Length: 5 } lm || lm.Any(p => p is not { Length: 2 }))
        {
            throw new JsonException("a face needs \"box\": [x1, y1, x2, y2] and five [x, y] \"landmarks\"");
        }

        // The peer's order is MTCNN's: eye with the smaller x, the other eye, nose, mouth corners likewise.
        return new FaceRecord
        {
            Box = face.Box,
            Score = face.Score,
            Landmarks = new LandmarksRecord(lm[0], lm[1], lm[2], lm[3], lm[4]),
        };
    }

    internal sealed record PeerLine(
        [property: JsonPropertyName("image")] string? Image,
        [property: JsonPropertyName("width")] int? Width,
        [property: JsonPropertyName("height")] int? Height,
        [property: JsonPropertyName("faces")] PeerFace[]? Faces);

    internal sealed record PeerFace(
        [property: JsonPropertyName("box")] float[]? Box,
        [property: JsonPropertyName("score")] float Score,
        [property: JsonPropertyName("landmarks")] float[][]? Landmarks);
}

[JsonSerializable(typeof(DetectionsReader.PeerLine))]
internal sealed partial class PeerJsonContext : JsonSerializerContext;
