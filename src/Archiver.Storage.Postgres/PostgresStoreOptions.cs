namespace Archiver.Storage.Postgres;

/// <summary>Where the PostgreSQL store finds its database, shared by every node of a cluster.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=archiver;Username=archiver;Password=…</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The first wait before the notification listener reconnects after losing its connection; doubles per failure.</summary>
    public TimeSpan ListenerReconnectBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between the notification listener's reconnection attempts.</summary>
    public TimeSpan ListenerReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException($"{nameof(PostgresStoreOptions)}.{nameof(ConnectionString)} must name the database.", nameof(ConnectionString));
        }

        if (ListenerReconnectBaseDelay <= TimeSpan.Zero || ListenerReconnectMaxDelay < ListenerReconnectBaseDelay)
        {
            throw new ArgumentException(
                $"{nameof(PostgresStoreOptions)}.{nameof(ListenerReconnectBaseDelay)} must be positive and at most {nameof(ListenerReconnectMaxDelay)}.",
                nameof(ListenerReconnectBaseDelay));
        }
    }
}
