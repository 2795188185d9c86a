using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Postgres;

/// <summary>
/// Checkpoints' outcomes as column arrays, one element per outcome, each with its lease's customer and fencing
/// token; unused columns of a kind stay null.
/// </summary>
internal sealed class OutcomeBatch
{
    private OutcomeBatch(int count)
    {
        Entries = new int[count];
        Customers = new string[count];
        Tokens = new long[count];
        Ids = new long[count];
        Outcomes = new string[count];
        DropboxIds = new string?[count];
        Revs = new string?[count];
        Paths = new string?[count];
        ContentHashes = new string?[count];
        Sizes = new long?[count];
        NotBefores = new long?[count];
        Reasons = new string?[count];
        Attempts = new int[count];
    }

    /// <summary>Which of the checkpoints (by its index) the outcome belongs to.</summary>
    public int[] Entries { get; }

    public string[] Customers { get; }

    public long[] Tokens { get; }

    public long[] Ids { get; }

    /// <summary><c>archived</c>, <c>retry</c> or <c>failed</c>.</summary>
    public string[] Outcomes { get; }

    public string?[] DropboxIds { get; }

    public string?[] Revs { get; }

    public string?[] Paths { get; }

    public string?[] ContentHashes { get; }

    public long?[] Sizes { get; }

    public long?[] NotBefores { get; }

    public string?[] Reasons { get; }

    /// <summary>1 when a retry counts as an attempt, else 0.</summary>
    public int[] Attempts { get; }

    public static OutcomeBatch Of(IReadOnlyList<LeaseOutcomes> checkpoints)
    {
        var batch = new OutcomeBatch(checkpoints.Sum(c => c.Outcomes.Count));
        var i = 0;
        for (var entry = 0; entry < checkpoints.Count; entry++)
        {
            var (lease, outcomes) = checkpoints[entry];
            foreach (var outcome in outcomes)
            {
                batch.Entries[i] = entry;
                batch.Customers[i] = lease.Customer.Value;
                batch.Tokens[i] = lease.FencingToken;
                batch.Add(i++, outcome);
            }
        }

        return batch;
    }

    private void Add(int i, ItemOutcome outcome)
    {
        Ids[i] = outcome.ItemId;
        switch (outcome)
        {
            case ItemOutcome.Archived archived:
                Outcomes[i] = "archived";
                DropboxIds[i] = archived.File.DropboxId;
                Revs[i] = archived.File.Rev;
                Paths[i] = archived.File.Path;
                ContentHashes[i] = archived.File.ContentHash;
                Sizes[i] = archived.File.Size;
                break;

            case ItemOutcome.Retry retry:
                Outcomes[i] = "retry";
                NotBefores[i] = UnixMs.From(retry.NotBefore);
                Reasons[i] = retry.Reason;
                Attempts[i] = retry.CountsAsAttempt ? 1 : 0;
                break;

            case ItemOutcome.Failed failed:
                Outcomes[i] = "failed";
                Reasons[i] = failed.Reason;
                break;

            default:
                throw new ArgumentException($"Unknown outcome type {outcome.GetType().Name}.", nameof(outcome));
        }
    }
}
