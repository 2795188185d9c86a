using System.Globalization;
using Akka.Configuration;
using Archiver.Core.Security;

namespace Archiver.Core.Control;

/// <summary>
/// The actor system settings for customers' control state: the <see cref="CustomerControlSerializer"/> bound to the
/// control events and snapshots, and the journal and snapshot store — Akka.Persistence.Sql (which the executable
/// carries) on SQLite or PostgreSQL, tables created on first use, or Akka's in-memory ones. Built here once, so the
/// node's host and the bench compose persistence the same way.
/// </summary>
public static class ControlPersistence
{
    /// <summary>Table names of the journal and snapshot store: prefixed, beside the store's own tables in a shared PostgreSQL database.</summary>
    public const string JournalTable = "akka_journal";

    public const string SnapshotTable = "akka_snapshot";

    /// <summary>The customer control serializer and its bindings (events, snapshots, messages between nodes); part of every configuration below.</summary>
    public static Config Serialization { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.archiver-control = "{{typeof(CustomerControlSerializer).AssemblyQualifiedName}}"
          serialization-bindings {
            "{{typeof(ICustomerControlEvent).AssemblyQualifiedName}}" = archiver-control
            "{{typeof(CustomerControlState).AssemblyQualifiedName}}" = archiver-control
            "{{typeof(LifecycleCommand).AssemblyQualifiedName}}" = archiver-control
            "{{typeof(LifecycleCommandDone).AssemblyQualifiedName}}" = archiver-control
            "{{typeof(Supervision.CustomerRecordChanged).AssemblyQualifiedName}}" = archiver-control
            "{{typeof(Supervision.CustomerStopRequested).AssemblyQualifiedName}}" = archiver-control
          }
        }
        """);

    /// <summary>
    /// Akka.Persistence.Sql on a SQLite file (Microsoft.Data.Sqlite), which is created now, readable by its owner only
    /// (its directory too), unless it exists.
    /// </summary>
    public static Config Sqlite(string databasePath)
    {
        var path = Path.GetFullPath(databasePath);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        PrivateFiles.CreateEmptyUnlessExists(path);
        return Sql($"Data Source={path};Pooling=True", "SQLite.MS", concurrentRecoveries: 200);
    }

    /// <summary>Akka.Persistence.Sql in a PostgreSQL database (the store's own), in tables of its own.</summary>
    public static Config Postgres(string connectionString) => Sql(connectionString, "PostgreSQL.15", concurrentRecoveries: 64);

    /// <summary>Akka's in-memory journal and snapshot store: control state lives as long as the actor system.</summary>
    public static Config InMemory { get; } = ConfigurationFactory.ParseString("""
        akka.persistence {
          journal.plugin = "akka.persistence.journal.inmem"
          snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        }
        """).WithFallback(Serialization);

    /// <summary>
    /// The journal and snapshot store on <paramref name="provider"/>. Recoveries run <paramref name="concurrentRecoveries"/>
    /// at a time (Akka's default, 50, is latency-bound: a node starting 10,000 customers waited on it); with PostgreSQL
    /// fewer, below the connection pool's 100 that the store shares.
    /// </summary>
    private static Config Sql(string connectionString, string provider, int concurrentRecoveries)
    {
        var quoted = Quote(connectionString);
        return ConfigurationFactory.ParseString(string.Create(CultureInfo.InvariantCulture, $$"""
            akka.persistence {
              max-concurrent-recoveries = {{concurrentRecoveries}}
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = {{quoted}}
                  provider-name = "{{provider}}"
                  auto-initialize = on
                  table-mapping = default
                  default.journal.table-name = "{{JournalTable}}"
                  default.metadata.table-name = "{{JournalTable}}_metadata"
                  default.tag.table-name = "{{JournalTable}}_tags"
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = {{quoted}}
                  provider-name = "{{provider}}"
                  auto-initialize = on
                  table-mapping = default
                  default.snapshot.table-name = "{{SnapshotTable}}"
                }
              }
            }
            """)).WithFallback(Serialization);
    }

    /// <summary>A HOCON quoted string: backslashes and quotes escaped.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
