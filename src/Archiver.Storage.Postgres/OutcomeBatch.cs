using Archiver.Core.Items;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Postgres;

/// <summary>A checkpoint's outcomes as column arrays, one element per outcome; unused columns of a kind stay null.</summary>
internal sealed class OutcomeBatch
{
    private OutcomeBatch(int count)
    {
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

    public static OutcomeBatch Of(IReadOnlyList<ItemOutcome> outcomes)
    {
        var batch = new OutcomeBatch(outcomes.Count);
        for (var i = 0; i < outcomes.Count; i++)
        {
            batch.Ids[i] = outcomes[i].ItemId;
            switch (outcomes[i])
            {
                case ItemOutcome.Archived archived:
                    batch.Outcomes[i] = "archived";
                    batch.DropboxIds[i] = archived.File.DropboxId;
                    batch.Revs[i] = archived.File.Rev;
                    batch.Paths[i] = archived.File.Path;
                    batch.ContentHashes[i] = archived.File.ContentHash;
                    batch.Sizes[i] = archived.File.Size;
                    break;

                case ItemOutcome.Retry retry:
                    batch.Outcomes[i] = "retry";
                    batch.NotBefores[i] = UnixMs.From(retry.NotBefore);
                    batch.Reasons[i] = retry.Reason;
                    batch.Attempts[i] = retry.CountsAsAttempt ? 1 : 0;
                    break;

                case ItemOutcome.Failed failed:
                    batch.Outcomes[i] = "failed";
                    batch.Reasons[i] = failed.Reason;
                    break;

                default:
                    throw new ArgumentException($"Unknown outcome type {outcomes[i].GetType().Name}.", nameof(outcomes));
            }
        }

        return batch;
    }
}
