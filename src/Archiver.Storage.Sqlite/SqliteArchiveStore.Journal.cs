using Archiver.Core.Storage;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    public override Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        var now = Time.Now();
        return _database.WriteAsync(
            async transaction =>
            {
                using var writer = new EventWriter(transaction);
                foreach (var entry in events)
                {
                    await writer.AppendAsync(entry, now, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }
}
