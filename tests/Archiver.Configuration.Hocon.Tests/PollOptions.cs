namespace Archiver.Configuration.Hocon.Tests;

/// <summary>Binds <see cref="TimeSpan"/> directly: needs <see cref="HoconValues.RegisterTimeSpanConverter"/>.</summary>
public sealed class PollOptions
{
    public TimeSpan Interval { get; set; }

    public TimeSpan Timeout { get; set; }

    public TimeSpan Grace { get; set; }
}
