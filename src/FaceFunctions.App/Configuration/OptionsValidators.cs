using FaceFunctions.Detection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FaceFunctions.App.Configuration;

/// <summary>
/// Checks one settings section against the ranges its options type declares (<see cref="OptionsValidation"/>),
/// naming each problem by the setting as it is set in Azure ("Section__Key"), so a value can never pass
/// start-up and fail later inside the pipeline.
/// </summary>
internal sealed class SectionValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var problems = OptionsValidation.Problems(options, property => $"{section}__{property}");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// Every setting in <see cref="SettingNames.App"/> must be set: the templates and the sample set them all, so a
/// missing one is a deployment mistake to report, not a default to fall back on silently.
/// </summary>
internal sealed class RequiredSettings
{
    public IReadOnlyList<string> Missing { get; set; } = [];

    public static IReadOnlyList<string> MissingFrom(IConfiguration configuration) =>
        [.. SettingNames.App.Where(setting => string.IsNullOrWhiteSpace(configuration[setting.Replace("__", ":", StringComparison.Ordinal)]))];

    internal sealed class Validator : IValidateOptions<RequiredSettings>
    {
        public ValidateOptionsResult Validate(string? name, RequiredSettings options) => options.Missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(options.Missing.Select(setting => $"{setting} is missing: every setting in local.settings.sample.json must be set."));
    }
}
