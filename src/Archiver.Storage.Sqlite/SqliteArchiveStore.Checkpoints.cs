using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    public override Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return Task.FromResult(new CheckpointResult(0, 0));
        }

        var now = Time.Now();
        return _database.WriteAsync(
            async transaction =>
            {
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
            },
            cancellationToken);
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
