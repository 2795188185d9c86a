namespace Archiver.Hosting;

/// <summary>The PostgreSQL store's settings (configuration section <c>archiver:storage:postgres</c>).</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>An Npgsql connection string to the database every node shares. <value>The default is unset.</value></summary>
    public string ConnectionString { get; set; } = "";
}
