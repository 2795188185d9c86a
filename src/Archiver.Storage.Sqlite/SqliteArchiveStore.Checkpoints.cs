using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    public override Task<IReadOnlyList<CheckpointResult>> CheckpointAsync(IReadOnlyList<LeaseOutcomes> checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        if (checkpoints.All(c => c.Outcomes.Count == 0))
        {
            return Task.FromResult<IReadOnlyList<CheckpointResult>>([.. checkpoints.Select(_ => new CheckpointResult(0, 0))]);
        }

        var now = Time.Now();
        return _database.WriteAsync<IReadOnlyList<CheckpointResult>>(
            async transaction =>
            {
                var results = new CheckpointResult[checkpoints.Count];
                for (var i = 0; i < checkpoints.Count; i++)
                {
                    results[i] = await CheckpointAsync(transaction, checkpoints[i], now, cancellationToken).ConfigureAwait(false);
                }

                return results;
            },
            cancellationToken);
    }

    /// <summary>One lease's outcomes, inside the write transaction: all rejected when the lease is no longer current.</summary>
    private async Task<CheckpointResult> CheckpointAsync(DbTransaction transaction, LeaseOutcomes checkpoint, long now, CancellationToken cancellationToken)
    {
        var (lease, outcomes) = checkpoint;
        if (outcomes.Count == 0)
        {
            return new CheckpointResult(0, 0);
        }

        if (!await IsCurrentAsync(transaction, lease, cancellationToken).ConfigureAwait(false))
        {
            return new CheckpointResult(Applied: 0, Rejected: outcomes.Count);
        }

        using var writer = new CheckpointWriter(transaction, lease, now);
        var applied = 0;
        foreach (var outcome in outcomes)
        {
            if (await writer.ApplyAsync(outcome, cancellationToken).ConfigureAwait(false))
            {
                applied++;
            }
        }

        return new CheckpointResult(applied, outcomes.Count - applied);
    }

    public override async Task<int> RetryFailedAsync(CustomerId customer, CancellationToken cancellationToken)
    {
        var now = Time.Now();

        var retried = await _database.ExecuteAsync(
            """
            UPDATE items
            SET status = 'pending', next_attempt_at = @now, attempts = 0, last_error = NULL, updated_at = @now
            WHERE customer_id = @customer AND status = 'failed'
            """,
            retry =>
            {
                retry.Bind("@customer", customer.Value);
                retry.Bind("@now", now);
            },
            cancellationToken).ConfigureAwait(false);

        if (retried > 0)
        {
            _workSignal.Notify(customer); // the feed may be asleep until its next poll
        }

        return retried;
    }
}
