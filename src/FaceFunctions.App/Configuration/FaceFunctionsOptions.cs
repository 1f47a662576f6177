using System.ComponentModel.DataAnnotations;
using FaceFunctions.Storage.Results;

namespace FaceFunctions.App.Configuration;

/// <summary>
/// The app's own "FaceFunctions" settings: where photos and results live, and how much work one instance takes
/// on. What the pipeline writes (crop size, previews), what the detector looks for and what a photo may be are
/// the core's own types (<see cref="Detection.Pipeline.OutputOptions"/>, <see cref="Detection.DetectionOptions"/>,
/// <see cref="Detection.Mtcnn.InferenceOptions"/>, <see cref="Detection.Imaging.ImageLimits"/>), bound from their
/// sections as they are; each range is written once, on the property that holds it.
/// </summary>
public sealed record FaceFunctionsOptions : IValidatableObject
{
    private const string ContainerName = "^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$";
    private const string ContainerMessage = "{0} must be a blob container name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.";

    [RegularExpression(ContainerName, ErrorMessage = ContainerMessage)]
    public string PhotosContainer { get; init; } = ContainerNames.DefaultPhotos;

    [RegularExpression(ContainerName, ErrorMessage = ContainerMessage)]
    public string DetectionsContainer { get; init; } = ContainerNames.DefaultDetections;

    [RegularExpression(ContainerName, ErrorMessage = ContainerMessage)]
    public string FacesContainer { get; init; } = ContainerNames.DefaultFaces;

    [RegularExpression(ContainerName, ErrorMessage = ContainerMessage)]
    public string AnnotatedContainer { get; init; } = ContainerNames.DefaultAnnotated;

    [RegularExpression(ContainerName, ErrorMessage = ContainerMessage)]
    public string AnonymizedContainer { get; init; } = ContainerNames.DefaultAnonymized;

    /// <summary>
    /// When the ScanPhotos timer scans the photos container: NCRONTAB with six fields (second minute hour day
    /// month day-of-week); by default daily at 03:00. Disable the timer with AzureWebJobs.ScanPhotos.Disabled=true.
    /// </summary>
    [RegularExpression(@"^\s*\S+(\s+\S+){5}\s*$", ErrorMessage = "{0} must be an NCRONTAB schedule with six fields (second minute hour day month day-of-week), such as '0 0 3 * * *'.")]
    public string ScanSchedule { get; init; } = "0 0 3 * * *";

    /// <summary>Photos detected at the same time in one instance: bounds memory (decoded pixels, crops).</summary>
    [Range(1, 256, ErrorMessage = "{0} must be from {1} to {2}.")]
    public int MaxConcurrentDetections { get; init; } = 2;

    /// <summary>The containers as the storage library takes them.</summary>
    public ContainerNames ToContainerNames() => new(PhotosContainer, DetectionsContainer, FacesContainer, AnnotatedContainer, AnonymizedContainer);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        (string Setting, string Value)[] outputs =
        [
            (SettingNames.DetectionsContainer, DetectionsContainer),
            (SettingNames.FacesContainer, FacesContainer),
            (SettingNames.AnnotatedContainer, AnnotatedContainer),
            (SettingNames.AnonymizedContainer, AnonymizedContainer),
        ];
        foreach (var output in outputs.Where(o => o.Value == PhotosContainer))
        {
            // Results written into the photos container would trigger detection of the results.
            yield return new ValidationResult($"{output.Setting} is '{output.Value}', the same container as {SettingNames.PhotosContainer}: results must go elsewhere.");
        }

        if (AnnotatedContainer == AnonymizedContainer)
        {
            // Both copies are named <photo>.jpg: sharing a container would make one overwrite the other.
            yield return new ValidationResult($"{SettingNames.AnonymizedContainer} is '{AnonymizedContainer}', the same container as {SettingNames.AnnotatedContainer}: they need one each.");
        }
    }
}
