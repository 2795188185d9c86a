namespace Archiver.Storage.Relational;

/// <summary>Times are stored as integer (<c>bigint</c>) unix milliseconds, UTC, in every store.</summary>
internal static class UnixMs
{
    public static long From(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToTime(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static long Now(this TimeProvider timeProvider) => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
