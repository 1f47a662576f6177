using FaceFunctions.Detection.Documents;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>An encoded image ready to be written: its bytes, MIME type and file extension (with the dot).</summary>
public sealed record EncodedImage(ReadOnlyMemory<byte> Data, string ContentType, string Extension);

/// <summary>The aligned crop of face <see cref="Index"/> (the index into the document's faces).</summary>
public sealed record EncodedFaceCrop(int Index, EncodedImage Image, DetectedFace Face);

/// <summary>
/// What the pipeline made of one photo. The document's faces have no crop locations yet: where crops go is the
/// writer's decision (a folder for the CLI, a container for the function app), see <see cref="DocumentWithCrops"/>.
/// </summary>
public sealed record PhotoResult
{
    public required DetectionDocument Document { get; init; }

    public IReadOnlyList<EncodedFaceCrop> Crops { get; init; } = [];

    public EncodedImage? Annotated { get; init; }

    public EncodedImage? Anonymized { get; init; }

    internal bool IsError => Document.Error is not null;

    /// <summary>The document with each face's <c>crop</c> set to where its crop was written.</summary>
    public DetectionDocument DocumentWithCrops(Func<EncodedFaceCrop, string> location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (Document.Faces is null || Crops.Count == 0)
        {
            return Document;
        }

        var faces = Document.Faces.ToArray();
        foreach (var crop in Crops)
        {
            faces[crop.Index] = faces[crop.Index] with { Crop = location(crop) };
        }

        return Document with { Faces = faces };
    }
}
