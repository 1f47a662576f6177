using System.Text.RegularExpressions;
using FaceFunctions.Detection;
using Microsoft.Extensions.Options;

namespace FaceFunctions.App.Configuration;

/// <summary>
/// Start-up checks of the settings. Every message starts with the setting's name exactly as it is set in
/// Azure (<see cref="SettingNames"/>), so a wrong deployment says which value to fix.
/// </summary>
internal static partial class SettingChecks
{
    public static readonly string[] ExecutionProviders = ["auto", "cpu", "cuda"];

    public static void Required<T>(List<string> failures, string setting, T? value, string expected)
        where T : struct
    {
        if (value is null)
        {
            failures.Add($"{setting} is missing: set it to {expected}.");
        }
    }

    public static void InRange(List<string> failures, string setting, long? value, long min, long max)
    {
        if (value is null)
        {
            failures.Add($"{setting} is missing: set it to a whole number from {min} to {max}.");
        }
        else if (value < min || value > max)
        {
            failures.Add($"{setting} is {value}: it must be from {min} to {max}.");
        }
    }

    /// <summary>Azure container names: 3-63 characters, lowercase letters, digits and single hyphens inside.</summary>
    public static void ContainerName(List<string> failures, string setting, string? value, string usual)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting} is missing: set it to a blob container name (usually '{usual}').");
        }
        else if (value.Length is < 3 or > 63 || !ContainerNamePattern().IsMatch(value) || value.Contains("--", StringComparison.Ordinal))
        {
            failures.Add($"{setting} is '{value}', which is not a valid blob container name (3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit).");
        }
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerNamePattern();
}

internal sealed class FaceFunctionsOptionsValidator : IValidateOptions<FaceFunctionsOptions>
{
    public ValidateOptionsResult Validate(string? name, FaceFunctionsOptions options)
    {
        var failures = new List<string>();
        SettingChecks.ContainerName(failures, SettingNames.PhotosContainer, options.PhotosContainer, "photos");
        SettingChecks.ContainerName(failures, SettingNames.DetectionsContainer, options.DetectionsContainer, "detections");
        SettingChecks.ContainerName(failures, SettingNames.FacesContainer, options.FacesContainer, "faces");
        SettingChecks.ContainerName(failures, SettingNames.AnnotatedContainer, options.AnnotatedContainer, "annotated");
        SettingChecks.ContainerName(failures, SettingNames.AnonymizedContainer, options.AnonymizedContainer, "anonymized");
        SettingChecks.Required(failures, SettingNames.WriteAnnotated, options.WriteAnnotated, "true or false");
        SettingChecks.Required(failures, SettingNames.WriteAnonymized, options.WriteAnonymized, "true or false");
        SettingChecks.InRange(failures, SettingNames.MaxConcurrentDetections, options.MaxConcurrentDetections, 1, 256);
        SettingChecks.InRange(failures, SettingNames.CropSize, options.CropSize, 16, 1024);

        (string Setting, string? Value)[] outputs =
        [
            (SettingNames.DetectionsContainer, options.DetectionsContainer),
            (SettingNames.FacesContainer, options.FacesContainer),
            (SettingNames.AnnotatedContainer, options.AnnotatedContainer),
            (SettingNames.AnonymizedContainer, options.AnonymizedContainer),
        ];
        foreach (var output in outputs.Where(o => o.Value is not null && o.Value == options.PhotosContainer))
        {
            // Results written into the photos container would trigger detection of the results.
            failures.Add($"{output.Setting} is '{output.Value}', the same container as {SettingNames.PhotosContainer}: results must go elsewhere.");
        }

        if (options.AnnotatedContainer is not null && options.AnnotatedContainer == options.AnonymizedContainer)
        {
            // Both copies are named <photo>.jpg: sharing a container would make one overwrite the other.
            failures.Add($"{SettingNames.AnonymizedContainer} is '{options.AnonymizedContainer}', the same container as {SettingNames.AnnotatedContainer}: they need one each.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class DetectionSettingsValidator : IValidateOptions<DetectionSettings>
{
    public ValidateOptionsResult Validate(string? name, DetectionSettings options)
    {
        var failures = new List<string>();
        if (options.ExecutionProvider is null || !SettingChecks.ExecutionProviders.Contains(options.ExecutionProvider, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{SettingNames.ExecutionProvider} is '{options.ExecutionProvider}': set it to one of {string.Join(", ", SettingChecks.ExecutionProviders)}.");
        }

        if (options.MinFaceSize is not { } minFace)
        {
            failures.Add($"{SettingNames.MinFaceSize} is missing: set it to the smallest face to find, in pixels (20 is MTCNN's default).");
        }
        else
        {
            try
            {
                _ = (DetectionOptions.Default with { MinFaceSize = minFace }).Validate();
            }
            catch (ArgumentException e)
            {
                failures.Add($"{SettingNames.MinFaceSize} is {minFace}: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class ImageLimitsSettingsValidator : IValidateOptions<ImageLimitsSettings>
{
    public ValidateOptionsResult Validate(string? name, ImageLimitsSettings options)
    {
        var failures = new List<string>();
        // The detector holds the whole upload in one array, so the limit must fit in one.
        SettingChecks.InRange(failures, SettingNames.MaxBytes, options.MaxBytes, 1, 2_000_000_000);
        SettingChecks.InRange(failures, SettingNames.MaxPixels, options.MaxPixels, 1, 1_000_000_000);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
