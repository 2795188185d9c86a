using System.ComponentModel.DataAnnotations;

namespace Archiver.Core.Control;

/// <summary>
/// Where and how each customer's durable control state — its lifecycle and the rate it learned from Dropbox — is kept
/// (configuration section <c>archiver:persistence</c>): Akka.Persistence.Sql, in its own SQLite file or in the
/// PostgreSQL store's database.
/// </summary>
public sealed class PersistenceOptions
{
    public const string Section = "archiver:persistence";

    /// <summary>
    /// The journal's SQLite file when the store is SQLite. <value>The default value is <c>akka.db</c> beside the store's
    /// database (<c>data/akka.db</c>).</value>
    /// </summary>
    public string? SqlitePath { get; set; }

    /// <summary>The journal's SQLite file: <see cref="SqlitePath"/>, else <c>akka.db</c> beside <paramref name="storeDatabasePath"/>.</summary>
    public string SqlitePathBeside(string storeDatabasePath) =>
        string.IsNullOrWhiteSpace(SqlitePath)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storeDatabasePath))!, "akka.db")
            : SqlitePath;

    /// <summary>A customer's control state is snapshotted every this many events, so recovery reads a snapshot and a few events. <value>The default value is 50.</value></summary>
    [Range(1, 100_000)]
    public int SnapshotEvery { get; set; } = 50;

    /// <summary>
    /// How often a running pipeline's learned limit is looked at; it is recorded only when it moved by 2 % or more
    /// since the last record. <value>The default value is 5 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RateCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
