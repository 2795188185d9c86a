using System.Data;
using System.Data.Common;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

/// <summary>
/// Writes item outcomes inside a checkpoint's transaction, one prepared statement per kind of outcome.
/// Each statement only touches an item still in flight under the lease's fencing token; anything else is rejected.
/// </summary>
internal sealed class CheckpointWriter : IDisposable
{
    private const string InFlightUnderLease =
        "WHERE id = @id AND customer_id = @customer AND status = 'in_flight' AND fencing_token = @token";

    private readonly Lease _lease;
    private readonly long _nowMs;
    private readonly DbCommand _archive;
    private readonly DbCommand _retry;
    private readonly DbCommand _fail;
    private readonly EventWriter _events;

    public CheckpointWriter(DbTransaction transaction, Lease lease, long nowMs)
    {
        _lease = lease;
        _nowMs = nowMs;

        _archive = Prepare(transaction, $"""
            UPDATE items
            SET status = 'archived', dropbox_id = @dropbox_id, rev = @rev, archived_path = @path,
                content_hash = @content_hash, archived_size = @size, last_error = NULL, updated_at = @now
            {InFlightUnderLease}
            """,
            ("@dropbox_id", DbType.String), ("@rev", DbType.String), ("@path", DbType.String),
            ("@content_hash", DbType.String), ("@size", DbType.Int64));
        _retry = Prepare(transaction, $"""
            UPDATE items
            SET status = 'pending', next_attempt_at = @not_before, last_error = @reason,
                attempts = attempts + @attempt, updated_at = @now
            {InFlightUnderLease}
            """,
            ("@not_before", DbType.Int64), ("@reason", DbType.String), ("@attempt", DbType.Int64));
        _fail = Prepare(transaction, $"""
            UPDATE items
            SET status = 'failed', last_error = @reason, updated_at = @now
            {InFlightUnderLease}
            """,
            ("@reason", DbType.String));
        _events = new EventWriter(transaction);
    }

    /// <summary>Writes one outcome. False when it was rejected.</summary>
    public async Task<bool> ApplyAsync(ItemOutcome outcome, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case ItemOutcome.Archived archived:
                Set(_archive, "@dropbox_id", archived.File.DropboxId);
                Set(_archive, "@rev", archived.File.Rev);
                Set(_archive, "@path", archived.File.Path);
                Set(_archive, "@content_hash", archived.File.ContentHash);
                Set(_archive, "@size", archived.File.Size);
                return await RunAsync(_archive, outcome.ItemId, cancellationToken).ConfigureAwait(false);

            case ItemOutcome.Retry retry:
                Set(_retry, "@not_before", UnixMs.From(retry.NotBefore));
                Set(_retry, "@reason", retry.Reason);
                Set(_retry, "@attempt", retry.CountsAsAttempt ? 1 : 0);
                return await RunAsync(_retry, outcome.ItemId, cancellationToken).ConfigureAwait(false);

            case ItemOutcome.Failed failed:
                Set(_fail, "@reason", failed.Reason);
                if (!await RunAsync(_fail, outcome.ItemId, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                await _events.AppendAsync(EventTypes.ItemFailed, _lease.Customer, failed.ItemId, failed.Reason, _nowMs, cancellationToken)
                    .ConfigureAwait(false);
                return true;

            default:
                throw new ArgumentException($"Unknown outcome type {outcome.GetType().Name}.", nameof(outcome));
        }
    }

    public void Dispose()
    {
        _archive.Dispose();
        _retry.Dispose();
        _fail.Dispose();
        _events.Dispose();
    }

    /// <summary>A statement whose lease and time are fixed for the checkpoint; the item and the named values vary.</summary>
    private DbCommand Prepare(DbTransaction transaction, string sql, params (string Name, DbType Type)[] perItem)
    {
        var command = transaction.Command(sql);
        command.Bind("@customer", _lease.Customer.Value);
        command.Bind("@token", _lease.FencingToken);
        command.Bind("@now", _nowMs);
        command.Parameter("@id", DbType.Int64);
        foreach (var (name, type) in perItem)
        {
            command.Parameter(name, type);
        }

        return command;
    }

    private static void Set(DbCommand command, string name, object? value) => command.Parameters[name].Set(value);

    private static async Task<bool> RunAsync(DbCommand command, long itemId, CancellationToken cancellationToken)
    {
        Set(command, "@id", itemId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
