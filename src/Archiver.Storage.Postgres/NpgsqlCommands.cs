using Npgsql;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

/// <summary>Small helpers that keep the SQL at the call sites readable.</summary>
internal static class NpgsqlCommands
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);

    /// <summary>Binds a value with its database type, so a null still has a type the server can plan with.</summary>
    public static void Bind(this NpgsqlCommand command, string name, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });

    public static void Bind(this NpgsqlCommand command, string name, string value) => command.Bind(name, NpgsqlDbType.Text, value);

    public static void Bind(this NpgsqlCommand command, string name, long value) => command.Bind(name, NpgsqlDbType.Bigint, value);

    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static int? GetInt32OrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static double? GetDoubleOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
