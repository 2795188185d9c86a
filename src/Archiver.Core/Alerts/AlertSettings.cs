namespace Archiver.Core.Alerts;

/// <summary>How the <see cref="AlertDispatcher"/> batches, polls and retries.</summary>
/// <param name="FailedItemsInterval">The window over which one customer's failed items become one alert.</param>
/// <param name="PollInterval">How often the journal is looked at when there is nothing to send.</param>
/// <param name="RetryBaseDelay">First wait after a failed delivery; doubles per failure in a row.</param>
/// <param name="RetryMaxDelay">Longest wait between deliveries of an alert a receiver refused.</param>
public sealed record AlertSettings(TimeSpan FailedItemsInterval, TimeSpan PollInterval, TimeSpan RetryBaseDelay, TimeSpan RetryMaxDelay)
{
    /// <summary>Journal entries read ahead per webhook at most, per pass.</summary>
    public int PageSize { get; init; } = 1000;
}
