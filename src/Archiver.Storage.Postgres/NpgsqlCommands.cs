using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

/// <summary>What only Npgsql can bind: a value of a PostgreSQL type of its own, such as an array.</summary>
internal static class NpgsqlCommands
{
    /// <summary>Binds a value with its PostgreSQL type, so a null still has a type the server can plan with.</summary>
    public static void Bind(this DbCommand command, string name, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
}
