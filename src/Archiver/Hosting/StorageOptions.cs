using System.ComponentModel.DataAnnotations;

namespace Archiver.Hosting;

/// <summary>Where the node keeps its state (configuration section <c>archiver:storage</c>).</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "archiver:storage";

    /// <summary>The embedded SQLite store: one node per database file.</summary>
    public const string SqliteProvider = "sqlite";

    /// <summary>The PostgreSQL store: one database shared by every node of a cluster.</summary>
    public const string PostgresProvider = "postgres";

    /// <summary>Which store the node uses: <c>sqlite</c> or <c>postgres</c>. <value>The default value is <c>sqlite</c>.</value></summary>
    [Required]
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The embedded database file. <value>The default value is <c>data/archiver.db</c>.</value></summary>
    [Required]
    public string SqlitePath { get; set; } = Path.Combine("data", "archiver.db");

    /// <summary>The PostgreSQL store's settings (<c>archiver.storage.postgres</c>), used when <see cref="Provider"/> is <c>postgres</c>.</summary>
    public PostgresStorageOptions Postgres { get; set; } = new();

    /// <summary>True when the configured provider is PostgreSQL.</summary>
    public bool UsesPostgres => string.Equals(Provider, PostgresProvider, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesPostgres && !string.Equals(Provider, SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Use {SqliteProvider} or {PostgresProvider}.", [nameof(Provider)]);
        }
        else if (UsesPostgres && string.IsNullOrWhiteSpace(Postgres.ConnectionString))
        {
            yield return new ValidationResult(
                "The PostgreSQL store needs archiver.storage.postgres.connection-string (e.g. \"Host=db;Database=archiver;Username=archiver\").",
                [nameof(Provider)]);
        }
    }
}
