using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Archiver.Hosting;

/// <summary>
/// Validates an options class with its data annotations and reports each problem as the operator wrote it:
/// the setting's key, its value and what is expected, e.g.
/// <c>archiver.pipeline.parallelism = 0: The field Parallelism must be between 1 and 1000.</c>
/// </summary>
internal sealed class SettingsValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(result =>
        {
            if (result.ErrorMessage?.StartsWith(section.Replace(':', '.') + ".", StringComparison.Ordinal) == true)
            {
                return result.ErrorMessage; // already names the key within a list, e.g. archiver.alerts.webhooks.0.url
            }

            var member = result.MemberNames.FirstOrDefault() ?? "?";
            var value = typeof(T).GetProperty(member)?.GetValue(options);
            return $"{KeyOf(section, member)} = {Format(value)}: {result.ErrorMessage}";
        }));
    }

    /// <summary><c>archiver:pipeline</c> + <c>RatePerSecond</c> → <c>archiver.pipeline.rate-per-second</c>.</summary>
    public static string KeyOf(string section, string member)
    {
        var kebab = new StringBuilder();
        foreach (var c in member)
        {
            if (char.IsUpper(c) && kebab.Length > 0)
            {
                kebab.Append('-');
            }

            kebab.Append(char.ToLowerInvariant(c));
        }

        return section.Replace(':', '.') + "." + kebab;
    }

    private static string Format(object? value) => value switch
    {
        null => "(unset)",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(unset)",
    };
}
