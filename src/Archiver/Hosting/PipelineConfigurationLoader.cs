using Archiver.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace Archiver.Hosting;

/// <summary>
/// Reads <c>archiver.pipeline</c> and every <c>archiver.customers.&lt;id&gt;</c> block into a
/// <see cref="PipelineConfiguration"/>, validated the same way at start and on every reload.
/// </summary>
internal static class PipelineConfigurationLoader
{
    /// <summary>Throws <see cref="OptionsValidationException"/> naming every bad key, or the binder's conversion error.</summary>
    public static PipelineConfiguration Load(IConfiguration configuration)
    {
        var defaults = new PipelineOptions();
        configuration.GetSection(PipelineOptions.Section).Bind(defaults);
        var failures = Failures(new SettingsValidator<PipelineOptions>(PipelineOptions.Section).Validate(null, defaults)).ToList();

        var customers = new Dictionary<string, CustomerOverride>(StringComparer.Ordinal);
        foreach (var block in configuration.GetSection(CustomerOverride.Section).GetChildren())
        {
            var customerOverride = new CustomerOverride();
            block.Bind(customerOverride);
            failures.AddRange(Failures(new SettingsValidator<CustomerOverride>(block.Path).Validate(null, customerOverride)));
            customers[block.Key] = customerOverride;
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(PipelineOptions.Section, typeof(PipelineConfiguration), failures);
        }

        return new PipelineConfiguration(defaults, customers);
    }

    private static IEnumerable<string> Failures(ValidateOptionsResult result) => result.Failed ? result.Failures : [];
}
