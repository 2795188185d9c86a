using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Archiver.Storage.Postgres;

/// <summary>
/// Hears every node's enqueues on one dedicated connection (<c>LISTEN archiver_work</c>) and pulses the
/// <see cref="WorkSignal"/> of the customer named in each notification, so an item enqueued through another node wakes
/// this node's feed within milliseconds. Notifications this store sent itself are skipped (it pulsed locally after
/// the commit). When the connection drops it reconnects with exponential backoff, then pulses every customer:
/// notifications sent while it was away are lost, and a pulse costs an idle feed one empty claim.
/// </summary>
internal sealed class WorkListener : IAsyncDisposable
{
    /// <summary>The notification channel; the payload is <c>"{customer}"</c> or <c>"{customer} {origin}"</c>.</summary>
    public const string Channel = "archiver_work";

    /// <summary>The application name of the listening connection, as <c>pg_stat_activity</c> shows it.</summary>
    public const string ApplicationName = "archiver-listener";

    private readonly NpgsqlDataSource _dataSource;
    private readonly WorkSignal _workSignal;
    private readonly ILogger _logger;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private Task? _loop;

    public WorkListener(PostgresStoreOptions options, WorkSignal workSignal, ILogger logger)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            KeepAlive = 15, // WaitAsync sends keepalives, so a silently dead server is noticed
        };
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _workSignal = workSignal;
        _logger = logger;
        _baseDelay = options.ListenerReconnectBaseDelay;
        _maxDelay = options.ListenerReconnectMaxDelay;
    }

    /// <summary>Identifies this store's own notifications.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The payload announcing new work for <paramref name="customer"/> from this store.</summary>
    public string PayloadFor(string customer) => $"{customer} {Origin}";

    /// <summary>Starts listening (once); completes when the first attempt to listen has succeeded or failed.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }

        return _firstAttempt.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += OnNotification;
                    using (var listen = connection.Command($"LISTEN {Channel}"))
                    {
                        await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }

                    if (failures > 0)
                    {
                        Log.ListenerReconnected(_logger);
                        await PulseEveryCustomerAsync(connection, stop).ConfigureAwait(false);
                    }

                    failures = 0;
                    _firstAttempt.TrySetResult();
                    while (true)
                    {
                        await connection.WaitAsync(stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever broke the connection, the listener's job is to come back.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _firstAttempt.TrySetResult();
                var delay = DelayAfter(failures++);
                Log.ListenerDisconnected(_logger, exception, delay);
                try
                {
                    // Wall-clock backoff: the store's clock may be a test's manual one that never moves by itself.
                    await Task.Delay(delay, TimeProvider.System, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private TimeSpan DelayAfter(int failures)
    {
        var delay = _baseDelay * Math.Pow(2, Math.Min(failures, 20));
        var capped = delay < _maxDelay ? delay : _maxDelay;
        return capped * (0.8 + (0.4 * Random.Shared.NextDouble())); // jitter: nodes that lost the server together do not return together
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        if (notification.Channel != Channel)
        {
            return;
        }

        var parts = notification.Payload.Split(' ', 2);
        if (parts.Length == 2 && parts[1] == Origin)
        {
            return;
        }

        if (CustomerId.IsValid(parts[0]))
        {
            _workSignal.Notify(new CustomerId(parts[0]));
        }
        else
        {
            Log.UnreadableNotification(_logger, notification.Payload);
        }
    }

    private async Task PulseEveryCustomerAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        using var select = connection.Command("SELECT id FROM customers");
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _workSignal.Notify(new CustomerId(reader.GetString(0)));
            }
        }
    }
}
