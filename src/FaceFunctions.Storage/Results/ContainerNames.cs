namespace FaceFunctions.Storage.Results;

/// <summary>
/// The containers one deployment uses: photos in, results out. The function app takes them from its settings,
/// the CLI's storage mode from its flags; both default to the same names.
/// </summary>
public sealed record ContainerNames(string Photos, string Detections, string Faces, string Annotated, string Anonymized)
{
    public const string DefaultPhotos = "photos";
    public const string DefaultDetections = "detections";
    public const string DefaultFaces = "faces";
    public const string DefaultAnnotated = "annotated";
    public const string DefaultAnonymized = "anonymized";

    public static ContainerNames Default { get; } = new(DefaultPhotos, DefaultDetections, DefaultFaces, DefaultAnnotated, DefaultAnonymized);
}
