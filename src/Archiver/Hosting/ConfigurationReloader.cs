using Archiver.Configuration.Hocon;
using Archiver.Core.Node;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Archiver.Hosting;

/// <summary>
/// Puts an edited configuration file in force without a restart: each time the configuration reloads, the pipeline
/// settings (defaults and per-customer overrides) are read and validated again and handed to the node. A broken edit
/// — a HOCON syntax error, a missing file, an unknown key, a value of the wrong type or out of range — is refused with an error in the log, and the last
/// good configuration stays in force. Settings outside <c>archiver.pipeline</c> and <c>archiver.customers</c> are read
/// once at start.
/// </summary>
internal sealed partial class ConfigurationReloader(IConfiguration configuration, ArchiverNode node, ILogger<ConfigurationReloader> logger)
    : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    /// <summary>Why the latest configuration change was refused, or null when it was applied.</summary>
    public string? LastRefusal { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => Reload());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _subscription = null;
        return Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Applies the configuration as it is now, or says why not. Returns whether it was applied.</summary>
    public bool Reload()
    {
        var problem = FileProblem(configuration);
        if (problem is null && ArchiverConfiguration.FileProblems(configuration).ToList() is { Count: > 0 } unknown)
        {
            problem = string.Join("; ", unknown);
        }

        if (problem is null)
        {
            try
            {
                node.Reconfigure(PipelineConfigurationLoader.Load(configuration));
                LastRefusal = null;
                return true;
            }
            catch (OptionsValidationException invalid)
            {
                problem = string.Join("; ", invalid.Failures);
            }
            catch (InvalidOperationException unconvertible)
            {
                problem = unconvertible.InnerException is { } inner ? $"{unconvertible.Message} {inner.Message}" : unconvertible.Message;
            }
        }

        LastRefusal = problem;
        LogRejected(logger, problem);
        return false;
    }

    /// <summary>A HOCON file whose last reload failed or which went missing, among the configuration's sources.</summary>
    private static string? FileProblem(IConfiguration configuration)
    {
        foreach (var provider in ArchiverConfiguration.HoconProviders(configuration))
        {
            if (provider.LastReloadError is { } error)
            {
                return error.Message;
            }

            var source = provider.Source;
            if (source.FileProvider?.GetFileInfo(source.Path ?? string.Empty) is { Exists: false } missing)
            {
                return $"{missing.PhysicalPath ?? source.Path}: the file is missing";
            }
        }

        return null;
    }

    [LoggerMessage(2001, LogLevel.Error, "Configuration change refused, the last good configuration stays in force: {Problem}")]
    private static partial void LogRejected(ILogger logger, string problem);
}
