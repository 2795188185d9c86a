using System.ComponentModel.DataAnnotations;

namespace Archiver.Core.Paths;

/// <summary>
/// Refuses a setting holding a path template <see cref="PathTemplate.TryParse"/> refuses, with its reason; a null value
/// is left to <see cref="RequiredAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class ValidPathTemplateAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string template || PathTemplate.TryParse(template, out _, out var problem)
            ? ValidationResult.Success
            : new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null);
}
