using System.Data;
using System.Data.Common;

namespace Archiver.Storage.Relational;

/// <summary>
/// Small helpers over ADO.NET's base classes that keep the SQL at the call sites readable, whichever provider runs it.
/// Parameters always carry their type, so a null still has a type a server can plan with. Commands are disposed
/// synchronously (neither provider does I/O to dispose one); readers and connections, which may, asynchronously.
/// </summary>
internal static class DbCommands
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>A command that runs inside <paramref name="transaction"/>, on its connection.</summary>
    public static DbCommand Command(this DbTransaction transaction, string sql) =>
        (transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.")).Command(sql, transaction);

    /// <summary>Binds a value of the given type; null becomes SQL NULL.</summary>
    public static void Bind(this DbCommand command, string name, DbType type, object? value) =>
        command.Parameter(name, type).Set(value);

    public static void Bind(this DbCommand command, string name, string? value) => command.Bind(name, DbType.String, value);

    public static void Bind(this DbCommand command, string name, long? value) => command.Bind(name, DbType.Int64, value);

    public static void Bind(this DbCommand command, string name, int? value) => command.Bind(name, DbType.Int32, value);

    public static void Bind(this DbCommand command, string name, double? value) => command.Bind(name, DbType.Double, value);

    public static void Bind(this DbCommand command, string name, bool value) => command.Bind(name, DbType.Boolean, value);

    /// <summary>Declares a parameter whose value is set per row, for a command prepared once and run many times.</summary>
    public static DbParameter Parameter(this DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static void Set(this DbParameter parameter, object? value) => parameter.Value = value ?? DBNull.Value;

    /// <summary>Runs <paramref name="command"/> and maps every row it returns with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }

    public static string? GetStringOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static int? GetInt32OrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static double? GetDoubleOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
