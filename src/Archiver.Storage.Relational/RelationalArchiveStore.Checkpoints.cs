using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
{
    public abstract Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken);

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
