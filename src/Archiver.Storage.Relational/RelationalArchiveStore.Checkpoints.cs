using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
{
    public async Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcomes);
        return (await CheckpointAsync([new LeaseOutcomes(lease, outcomes)], cancellationToken).ConfigureAwait(false))[0];
    }

    public abstract Task<IReadOnlyList<CheckpointResult>> CheckpointAsync(IReadOnlyList<LeaseOutcomes> checkpoints, CancellationToken cancellationToken);

    public async Task<int> ReleaseClaimsAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = Time.Now();

        return await Database.ExecuteAsync(
                """
                UPDATE items
                SET status = 'pending', next_attempt_at = @now, updated_at = @now
                WHERE customer_id = @customer AND status = 'in_flight' AND fencing_token = @token
                """,
                release =>
                {
                    release.Bind("@customer", lease.Customer.Value);
                    release.Bind("@token", lease.FencingToken);
                    release.Bind("@now", now);
                },
                cancellationToken)
            .ConfigureAwait(false);
    }

    public abstract Task<int> RetryFailedAsync(CustomerId customer, CancellationToken cancellationToken);
}
