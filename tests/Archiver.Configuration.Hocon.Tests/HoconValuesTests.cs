namespace Archiver.Configuration.Hocon.Tests;

public class HoconValuesTests
{
    public static TheoryData<string, TimeSpan> Durations => new()
    {
        { "500ms", TimeSpan.FromMilliseconds(500) },
        { "5s", TimeSpan.FromSeconds(5) },
        { "2m", TimeSpan.FromMinutes(2) },
        { "1h", TimeSpan.FromHours(1) },
        { "1d", TimeSpan.FromDays(1) },
        { "500 milliseconds", TimeSpan.FromMilliseconds(500) },
        { "5 seconds", TimeSpan.FromSeconds(5) },
        { "1 second", TimeSpan.FromSeconds(1) },
        { "3 minutes", TimeSpan.FromMinutes(3) },
        { "2 hours", TimeSpan.FromHours(2) },
        { "7 days", TimeSpan.FromDays(7) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { "250", TimeSpan.FromMilliseconds(250) },
        { "  10 s  ", TimeSpan.FromSeconds(10) },
        { "100us", TimeSpan.FromTicks(1000) },
        { "300ns", TimeSpan.FromTicks(3) },
        { "0", TimeSpan.Zero },
        { "-5s", TimeSpan.FromSeconds(-5) },
    };

    public static TheoryData<string, long> Sizes => new()
    {
        { "4MiB", 4L * 1024 * 1024 },
        { "512KiB", 512L * 1024 },
        { "1GiB", 1024L * 1024 * 1024 },
        { "10MB", 10_000_000L },
        { "1kB", 1000L },
        { "100 bytes", 100L },
        { "1 byte", 1L },
        { "64B", 64L },
        { "2048", 2048L },
        { "512k", 512L * 1024 },
        { "2M", 2L * 1024 * 1024 },
        { "1G", 1024L * 1024 * 1024 },
        { "1Ti", 1L << 40 },
        { "1.5KiB", 1536L },
        { "3 mebibytes", 3L * 1024 * 1024 },
        { "2 gigabytes", 2_000_000_000L },
        { "1EiB", 1L << 60 },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void ParseDuration_ReadsHoconDurations(string text, TimeSpan expected)
    {
        Assert.Equal(expected, HoconValues.ParseDuration(text));
        Assert.True(HoconValues.TryParseDuration(text, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ParseSize_ReadsHoconSizes(string text, long expected)
    {
        Assert.Equal(expected, HoconValues.ParseSize(text));
        Assert.True(HoconValues.TryParseSize(text, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("5 parsecs", "'5 parsecs' is not a valid duration: unknown unit 'parsecs' (use ns, us, ms, s, m, h or d; units are lowercase)")]
    [InlineData("5S", "'5S' is not a valid duration: unknown unit 'S' (use ns, us, ms, s, m, h or d; units are lowercase)")]
    [InlineData("soon", "'soon' is not a valid duration: expected a number followed by an optional unit, like '5s' or '500 ms'")]
    [InlineData("5s 3m", "'5s 3m' is not a valid duration: expected a number followed by an optional unit, like '5s' or '500 ms'")]
    [InlineData("", "an empty value is not a valid duration")]
    [InlineData("99999999999d", "'99999999999d' is out of range for a duration")]
    public void ParseDuration_RejectsBadInputClearly(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => HoconValues.ParseDuration(text));

        Assert.Equal(message, error.Message);
        Assert.False(HoconValues.TryParseDuration(text, out _));
    }

    [Theory]
    [InlineData("4 MiBs", "'4 MiBs' is not a valid size: unknown unit 'MiBs' (use B, kB, MB, GB, TB (powers of 1000) or K, KiB, M, MiB, G, GiB, T, TiB (powers of 1024))")]
    [InlineData("big", "'big' is not a valid size: expected a number followed by an optional unit, like '4MiB' or '10 MB'")]
    [InlineData("  ", "an empty value is not a valid size")]
    [InlineData("9EiB", "'9EiB' is out of range for a size in bytes")]
    [InlineData("1ZB", "'1ZB' is out of range for a size in bytes")]
    public void ParseSize_RejectsBadInputClearly(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => HoconValues.ParseSize(text));

        Assert.Equal(message, error.Message);
        Assert.False(HoconValues.TryParseSize(text, out _));
    }

    [Fact]
    public void TryParse_RejectsNull()
    {
        Assert.False(HoconValues.TryParseDuration(null, out _));
        Assert.False(HoconValues.TryParseSize(null, out _));
    }

    [Fact]
    public void TimeSpanConverter_ReadsHoconAndDotNetFormats()
    {
        var converter = new HoconTimeSpanConverter();

        Assert.Equal(TimeSpan.FromSeconds(5), converter.ConvertFromInvariantString("5s"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), converter.ConvertFromInvariantString("250"));
        Assert.Equal(new TimeSpan(1, 2, 3, 4), converter.ConvertFromInvariantString("1.02:03:04"));
    }
}
