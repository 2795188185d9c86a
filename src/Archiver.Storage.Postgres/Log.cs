using Microsoft.Extensions.Logging;

namespace Archiver.Storage.Postgres;

/// <summary>Every log line of the PostgreSQL store. Event ids: 1300s.</summary>
internal static partial class Log
{
    [LoggerMessage(1301, LogLevel.Warning, "Work notification listener lost its connection; reconnecting in {Delay}")]
    public static partial void ListenerDisconnected(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(1302, LogLevel.Information, "Work notification listener reconnected; waking every customer's feed")]
    public static partial void ListenerReconnected(ILogger logger);

    [LoggerMessage(1303, LogLevel.Warning, "Work notification with an unreadable payload ignored: {Payload}")]
    public static partial void UnreadableNotification(ILogger logger, string payload);
}
