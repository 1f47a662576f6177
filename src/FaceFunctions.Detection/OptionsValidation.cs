using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace FaceFunctions.Detection;

/// <summary>
/// Checks an options object against the data annotations on its properties: the one place each range is
/// written. The core throws on the first problem; the function app reports every problem under the name of the
/// setting that holds it, so a wrong deployment and a wrong command line are caught by the same rules.
/// </summary>
public static class OptionsValidation
{
    /// <summary>Every problem, each message starting with <paramref name="nameOf"/>(property name).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are never trimmed: they are bound from configuration.")]
    public static IReadOnlyList<string> Problems<T>(T options, Func<string, string> nameOf)
        where T : class =>
        [.. Check(options, nameOf).Select(problem => problem.Message)];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first property whose value makes no sense.</summary>
    public static T ThrowIfInvalid<T>(T options)
        where T : class
    {
        var problems = Check(options, static name => name);
        return problems.Count == 0 ? options : throw new ArgumentException(problems[0].Message, problems[0].Property);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are never trimmed: they are bound from configuration.")]
    private static List<(string? Property, string Message)> Check<T>(T options, Func<string, string> nameOf)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(nameOf);
        var problems = new List<(string? Property, string Message)>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(options);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = nameOf(property.Name) };
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateProperty(value, context, results))
            {
                problems.AddRange(results.Select(r => ((string?)property.Name, $"{r.ErrorMessage} It is {Show(value)}.")));
            }
        }

        if (problems.Count == 0 && options is IValidatableObject whole)
        {
            problems.AddRange(whole.Validate(new ValidationContext(options)).Select(r => ((string?)r.MemberNames.FirstOrDefault(), r.ErrorMessage ?? string.Empty)));
        }

        return problems;
    }

    private static string Show(object? value) => value switch
    {
        null => "missing",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
