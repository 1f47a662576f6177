using System.Text.Json;
using System.Text.Json.Serialization;
using FaceFunctions.Detection;

namespace FaceFunctions.Cli.Evaluation;

/// <summary>
/// Reads an annotations file: a JSON array of <c>{"image", "width", "height", "faces": [{"box": [x1, y1, x2, y2],
/// "ignore", "wider_level"}]}</c>, as in ../shared/data/*/annotations.json. Other fields are ignored.
/// </summary>
public static class AnnotationReader
{
    /// <exception cref="InvalidDataException">The file is not such an array; the message says where.</exception>
    public static IReadOnlyList<AnnotatedImage> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <param name="json">The annotations.</param>
    /// <param name="sourceName">Named in error messages.</param>
    public static IReadOnlyList<AnnotatedImage> Read(Stream json, string sourceName)
    {
        List<ImageDto>? records;
        try
        {
            records = JsonSerializer.Deserialize(json, AnnotationJsonContext.Default.ListImageDto);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{sourceName} is not a valid annotations file: {e.Message}", e);
        }

        if (records is null)
        {
            throw new InvalidDataException($"{sourceName} holds null instead of an array of annotated images.");
        }

        return records.Select((r, i) => ToImage(r, i, sourceName)).ToArray();
    }

    private static AnnotatedImage ToImage(ImageDto dto, int index, string sourceName)
    {
        if (string.IsNullOrWhiteSpace(dto.Image))
        {
            throw new InvalidDataException($"{sourceName}: record {index} has no \"image\".");
        }

        var faces = (dto.Faces ?? []).Select((f, j) =>
        {
            if (f.Box is not { Length: 4 } b)
            {
                throw new InvalidDataException($"{sourceName}: face {j} of {dto.Image} needs \"box\": [x1, y1, x2, y2].");
            }

            return new AnnotatedFace(new FaceBox(b[0], b[1], b[2], b[3]), f.Ignore, ParseLevel(f.WiderLevel, dto.Image, sourceName));
        }).ToArray();
        return new AnnotatedImage(dto.Image.Replace('\\', '/'), dto.Width, dto.Height, faces);
    }

    private static WiderLevel? ParseLevel(string? level, string image, string sourceName) => level switch
    {
        null => null,
        "easy" => WiderLevel.Easy,
        "medium" => WiderLevel.Medium,
        "hard" => WiderLevel.Hard,
        _ => throw new InvalidDataException($"{sourceName}: {image} has wider_level \"{level}\"; expected easy, medium, hard or null."),
    };

    internal sealed record ImageDto(
        [property: JsonPropertyName("image")] string? Image,
        [property: JsonPropertyName("width")] int Width,
        [property: JsonPropertyName("height")] int Height,
        [property: JsonPropertyName("faces")] List<FaceDto>? Faces);

    internal sealed record FaceDto(
        [property: JsonPropertyName("box")] float[]? Box,
        [property: JsonPropertyName("ignore")] bool Ignore,
        [property: JsonPropertyName("wider_level")] string? WiderLevel);
}

[JsonSerializable(typeof(List<AnnotationReader.ImageDto>))]
internal sealed partial class AnnotationJsonContext : JsonSerializerContext;
