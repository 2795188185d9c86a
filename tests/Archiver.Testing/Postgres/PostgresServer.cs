using System.Diagnostics;
using System.Net;
using Npgsql;

namespace Archiver.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL server for tests: one per test process, started on first use from the machine's
/// PostgreSQL binaries (<c>pg_config --bindir</c>), listening on 127.0.0.1 on a free port with trust authentication
/// and durability switched off for speed, and stopped (<c>pg_ctl stop -m immediate</c>, data directory removed) when
/// the process exits. Tests isolate themselves with a database of their own (<see cref="CreateDatabaseAsync"/>).
/// When PostgreSQL is missing the first use fails with a message saying what to install; nothing is skipped.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly PgCtl _pgCtl;
    private int _databases;

    private PostgresServer(PgCtl pgCtl, int port)
    {
        _pgCtl = pgCtl;
        Port = port;
        ConnectionString = ConnectionStringFor("postgres");
    }

    /// <summary>The process's server, started on first call.</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    public int Port { get; }

    /// <summary>A connection string to the server's administrative <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = PgCtl.SuperUser,
        Database = database,
        Timeout = 30,
        CommandTimeout = 60,
    }.ConnectionString;

    /// <summary>Creates a new, empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // FILE_COPY: with fsync off, copying the tiny template's files beats WAL-logging them several times over.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 STRATEGY FILE_COPY", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, disconnecting whoever is still in it.</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var pgCtl = PgCtl.Locate();
        await pgCtl.InitDbAsync();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            try
            {
                await pgCtl.StartAsync(port);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between our probe and the server's bind: try another.
            }
        }

        var server = new PostgresServer(pgCtl, pgCtl.Port);
        pgCtl.StartWatchdog();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => pgCtl.StopAndDelete();
        return server;
    }

    /// <summary>The server's binaries, data directory and process, run as <c>postgres</c> when this process is root.</summary>
    private sealed class PgCtl
    {
        public const string SuperUser = "postgres";

        private readonly string _binDir;
        private readonly string _root;
        private readonly bool _asPostgres;

        private PgCtl(string binDir)
        {
            _binDir = binDir;
            _asPostgres = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
            // As root the server runs as postgres, which may not be able to reach a private TMPDIR: use /tmp.
            var temp = _asPostgres ? "/tmp" : Path.GetTempPath();
            _root = Path.Combine(temp, $"archiver-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        }

        public int Port { get; private set; }

        private string DataDir => Path.Combine(_root, "data");

        private string LogFile => Path.Combine(_root, "server.log");

        public static PgCtl Locate()
        {
            string binDir;
            try
            {
                binDir = Run("pg_config", ["--bindir"], asPostgres: false).Trim();
            }
            catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    "PostgreSQL is needed for these tests but `pg_config` was not found: install the PostgreSQL 15 server " +
                    "(Debian: apt-get install postgresql-15 postgresql-server-dev-15, or put its bin directory on PATH).", exception);
            }

            if (!File.Exists(Path.Combine(binDir, "initdb")) || !File.Exists(Path.Combine(binDir, "pg_ctl")))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL is needed for these tests but {binDir} (from `pg_config --bindir`) has no initdb/pg_ctl: install the PostgreSQL server package.");
            }

            return new PgCtl(binDir);
        }

        public Task InitDbAsync() => Task.Run(() =>
        {
            Directory.CreateDirectory(_root);
            if (_asPostgres)
            {
                Run("chown", ["postgres:postgres", _root], asPostgres: false);
            }

            Run(Tool("initdb"), ["-D", DataDir, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], _asPostgres);
        });

        public Task StartAsync(int port) => Task.Run(() =>
        {
            string[] settings =
            [
                $"-p {port}", "-c listen_addresses=127.0.0.1", $"-c unix_socket_directories={_root}",
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c max_connections=400", "-c shared_buffers=64MB", "-c max_wal_size=1GB",
            ];
            Run(Tool("pg_ctl"), ["start", "-D", DataDir, "-w", "-t", "60", "-l", LogFile, "-o", string.Join(' ', settings)], _asPostgres);
            Port = port;
        });

        /// <summary>
        /// A detached shell that waits for this process to end, however it ends (a test host killed at a timeout
        /// never runs its exit handlers), then stops the server and removes its directory.
        /// </summary>
        public void StartWatchdog()
        {
            var stop = $"{(_asPostgres ? $"runuser -u {SuperUser} -- " : "")}'{Tool("pg_ctl")}' stop -D '{DataDir}' -m immediate -w";
            var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 0.5; done; {stop}; rm -rf '{_root}'";
            var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
            foreach (var argument in (string[])["sh", "-c", script])
            {
                start.ArgumentList.Add(argument);
            }

            using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("Could not start the PostgreSQL watchdog.");
        }

        public void StopAndDelete()
        {
            try
            {
                Run(Tool("pg_ctl"), ["stop", "-D", DataDir, "-m", "immediate", "-w"], _asPostgres);
            }
            catch (InvalidOperationException)
            {
                // Already gone; still remove the directory.
            }

            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private string Tool(string name) => Path.Combine(_binDir, name);

        /// <summary>Runs a command to completion; throws <see cref="InvalidOperationException"/> with its output when it fails.</summary>
        private static string Run(string fileName, IReadOnlyList<string> arguments, bool asPostgres)
        {
            var start = new ProcessStartInfo(asPostgres ? "runuser" : fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            if (asPostgres)
            {
                foreach (var argument in (string[])["-u", SuperUser, "--", fileName])
                {
                    start.ArgumentList.Add(argument);
                }
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"`{fileName} {string.Join(' ', arguments)}` exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
            }

            return stdout.Result;
        }
    }
}
