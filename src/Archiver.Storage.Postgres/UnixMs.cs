namespace Archiver.Storage.Postgres;

/// <summary>Times are stored as <c>bigint</c> unix milliseconds, UTC, exactly as the SQLite store keeps them.</summary>
internal static class UnixMs
{
    public static long From(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToTime(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static long Now(this TimeProvider timeProvider) => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
