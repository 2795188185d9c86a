using Npgsql;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

/// <summary>What only Npgsql can do for the SQL at the call sites: commands of its own type, and array parameters.</summary>
internal static class NpgsqlCommands
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);

    /// <summary>Binds a value with its PostgreSQL type (an array, say), so a null still has a type the server can plan with.</summary>
    public static void Bind(this NpgsqlCommand command, string name, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
}
