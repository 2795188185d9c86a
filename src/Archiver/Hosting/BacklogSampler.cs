using Archiver.Core.Diagnostics;
using Archiver.Core.Storage;

namespace Archiver.Hosting;

/// <summary>Reads every customer's backlog from the store every few seconds for the <c>archiver.backlog</c> gauge.</summary>
internal sealed partial class BacklogSampler(IArchiveStore store, ArchiverMetrics metrics, TimeProvider time, ILogger<BacklogSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    metrics.SampleBacklogs(await store.GetProgressAsync(null, stoppingToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SampleFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(2101, LogLevel.Debug, "Could not sample customer backlogs")]
    private static partial void SampleFailed(ILogger logger, Exception exception);
}
