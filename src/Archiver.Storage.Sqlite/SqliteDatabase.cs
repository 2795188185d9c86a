using System.Data.Common;
using Archiver.Core.Node;
using Archiver.Core.Security;
using Archiver.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Archiver.Storage.Sqlite;

/// <summary>
/// The connections to one SQLite file. SQLite allows one writer at a time, so every write goes through a single
/// kept-open connection guarded by a semaphore: concurrent pipelines queue here instead of meeting SQLITE_BUSY.
/// Reads use pooled connections of their own and, in WAL mode, never wait for the writer.
/// </summary>
internal sealed class SqliteDatabase : IStoreDatabase, IAsyncDisposable
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;
    private const int MaxReaders = 8;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _readGate = new(MaxReaders, MaxReaders);
    private SqliteConnection? _writeConnection;
    private int _disposed;

    /// <summary>
    /// Opens (and, when missing, creates) the database at <paramref name="databasePath"/>. The file is created empty,
    /// owner-only, before SQLite first opens it — SQLite gives its write-ahead log and shared memory the database
    /// file's mode — and its directory owner-only too. Throws <see cref="StartupRefusedException"/> when the file is
    /// there but is not a SQLite database.
    /// </summary>
    public SqliteDatabase(string databasePath)
    {
        var fullPath = Path.GetFullPath(databasePath);
        FilePath = fullPath;
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        RefuseUnlessDatabase(fullPath);
        PrivateFiles.CreateEmptyUnlessExists(fullPath);

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    /// <summary>The database file, as a full path.</summary>
    public string FilePath { get; }

    /// <summary>Nothing: writers take turns at the write gate and at BEGIN IMMEDIATE, so a read in a write has nothing to lock.</summary>
    public string ForUpdate => "";

    /// <summary>
    /// Opens a pooled connection for reading; dispose it to return it to the pool. At most <see cref="MaxReaders"/>
    /// are open at once: each pooled connection keeps a page cache of its own, and ten thousand pipelines starting
    /// together would otherwise grow the pool to thousands of them.
    /// </summary>
    public async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        await _readGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = new GatedConnection(_connectionString, _readGate);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE) and commits it.</summary>
    public Task WriteAsync(Func<DbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(
            async transaction =>
            {
                await work(transaction).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE) and commits it.</summary>
    public Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WithWriteConnectionAsync(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = await work(transaction).ConfigureAwait(false);
                transaction.Commit();
                return result;
            },
            cancellationToken);

    /// <summary>Runs one statement that writes in a write transaction of its own; returns how many rows it changed.</summary>
    public Task<int> ExecuteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken) =>
        WriteAsync(
            async transaction =>
            {
                using var command = transaction.Command(sql);
                bind(command);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>Lends the write connection, alone, to work that manages its own transactions (migrations).</summary>
    public async Task<T> WithWriteConnectionAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _writeConnection ??= await OpenWriteConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await work(_writeConnection).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Let a write in progress finish rather than closing the connection under it.
        await _writeGate.WaitAsync().ConfigureAwait(false);
        if (_writeConnection is not null)
        {
            await _writeConnection.DisposeAsync().ConfigureAwait(false);
            _writeConnection = null;
        }

        using (var key = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(key);
        }

        _writeGate.Dispose();
    }

    private async Task<SqliteConnection> OpenWriteConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragmas = connection.Command($"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA busy_timeout = {BusyTimeoutMilliseconds};
                """);
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Refuses a file that is there but cannot be a database (a log, a note, a half-copied file): SQLite would open it and
    /// fail at the first statement, with its own words and a stack trace.
    /// </summary>
    private static void RefuseUnlessDatabase(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        Span<byte> header = stackalloc byte[SqliteHeader.Length];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (file.Length == 0)
            {
                return; // an empty file is an empty database
            }

            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read < header.Length || !header.SequenceEqual(SqliteHeader))
        {
            throw new StartupRefusedException(
                $"{path} is not a SQLite database (it does not begin with the SQLite header); point the store at the right file, or move this one away to start an empty database.");
        }
    }

    /// <summary>The 16 bytes every SQLite 3 database file begins with.</summary>
    private static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    /// <summary>A read connection that gives its place back to the read gate when disposed.</summary>
    private sealed class GatedConnection(string connectionString, SemaphoreSlim gate) : SqliteConnection(connectionString)
    {
        private int _released;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
