using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Archiver.Configuration.Hocon;

/// <summary>
/// HOCON's duration and size formats. The configuration provider keeps every value as a string; options
/// classes convert with these methods (or call <see cref="RegisterTimeSpanConverter"/> once so the
/// configuration binder accepts <c>5s</c> for <see cref="TimeSpan"/> properties).
/// </summary>
/// <remarks>
/// Format: optional whitespace, a number (may be signed or fractional), optional whitespace, an optional unit.
/// Duration units (lowercase): <c>ns</c>, <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c> and their
/// long forms (<c>nanosecond(s)</c>, <c>microsecond(s)</c>, <c>millisecond(s)</c>, <c>second(s)</c>,
/// <c>minute(s)</c>, <c>hour(s)</c>, <c>day(s)</c>; also <c>nano(s)</c>, <c>micro(s)</c>, <c>milli(s)</c>);
/// no unit means milliseconds. Size units: <c>B</c>/<c>byte(s)</c>, decimal <c>kB</c>, <c>MB</c>, <c>GB</c>,
/// <c>TB</c>, <c>PB</c>, <c>EB</c> (and <c>kilobyte(s)</c>...), binary <c>K</c>/<c>Ki</c>/<c>KiB</c>,
/// <c>M</c>/<c>Mi</c>/<c>MiB</c>, ... up to <c>E</c>/<c>EiB</c> (and <c>kibibyte(s)</c>...); no unit means bytes.
/// </remarks>
public static partial class HoconValues
{
    private static readonly Dictionary<string, decimal> DurationTicks = BuildDurationUnits();
    private static readonly Dictionary<string, decimal> SizeMultipliers = BuildSizeUnits();
    private static int s_converterRegistered;

    /// <summary>Parses a HOCON duration such as <c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1.5h</c>, <c>5 seconds</c> or <c>250</c> (milliseconds).</summary>
    /// <exception cref="FormatException">The text is not a duration, has an unknown unit, or is out of range.</exception>
    public static TimeSpan ParseDuration(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParseDuration(value, out var result, out var error) ? result : throw new FormatException(error);
    }

    public static bool TryParseDuration([NotNullWhen(true)] string? value, out TimeSpan result) =>
        TryParseDuration(value, out result, out _);

    /// <summary>Parses a HOCON size such as <c>4MiB</c>, <c>512KiB</c>, <c>1GiB</c>, <c>10MB</c> (decimal), <c>100 bytes</c> or <c>2048</c> (bytes).</summary>
    /// <exception cref="FormatException">The text is not a size, has an unknown unit, or does not fit a long.</exception>
    public static long ParseSize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParseSize(value, out var result, out var error) ? result : throw new FormatException(error);
    }

    public static bool TryParseSize([NotNullWhen(true)] string? value, out long result) =>
        TryParseSize(value, out result, out _);

    /// <summary>
    /// Makes <see cref="TypeDescriptor"/> (and so the reflection-based configuration binder) convert strings to
    /// <see cref="TimeSpan"/> with <see cref="HoconTimeSpanConverter"/>: <c>5s</c>, <c>500ms</c>, <c>250</c> (ms);
    /// text containing ':' keeps the .NET format (<c>00:00:05</c>). Process-wide; calling it again does nothing.
    /// </summary>
    public static void RegisterTimeSpanConverter()
    {
        if (Interlocked.Exchange(ref s_converterRegistered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(HoconTimeSpanConverter)));
        }
    }

    private static bool TryParseDuration(string? value, out TimeSpan result, out string error)
    {
        result = default;
        if (!TrySplit(value, "duration", out var number, out var unit, out error))
        {
            return false;
        }

        var unitName = unit.Length == 0 ? "ms" : unit;
        if (!DurationTicks.TryGetValue(unitName, out var ticksPerUnit))
        {
            error = $"'{value}' is not a valid duration: unknown unit '{unit}' (use ns, us, ms, s, m, h or d; units are lowercase)";
            return false;
        }

        try
        {
            var ticks = decimal.Round(number * ticksPerUnit, MidpointRounding.AwayFromZero);
            if (ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks)
            {
                error = $"'{value}' is out of range for a duration";
                return false;
            }

            result = TimeSpan.FromTicks((long)ticks);
            return true;
        }
        catch (OverflowException)
        {
            error = $"'{value}' is out of range for a duration";
            return false;
        }
    }

    private static bool TryParseSize(string? value, out long result, out string error)
    {
        result = default;
        if (!TrySplit(value, "size", out var number, out var unit, out error))
        {
            return false;
        }

        var multiplier = 1m;
        if (unit.Length > 0 && !SizeMultipliers.TryGetValue(unit, out multiplier))
        {
            error = $"'{value}' is not a valid size: unknown unit '{unit}' (use B, kB, MB, GB, TB (powers of 1000) or K, KiB, M, MiB, G, GiB, T, TiB (powers of 1024))";
            return false;
        }

        try
        {
            var bytes = decimal.Truncate(number * multiplier);
            if (bytes > long.MaxValue || bytes < long.MinValue)
            {
                error = $"'{value}' is out of range for a size in bytes";
                return false;
            }

            result = (long)bytes;
            return true;
        }
        catch (OverflowException)
        {
            error = $"'{value}' is out of range for a size in bytes";
            return false;
        }
    }

    private static bool TrySplit(string? value, string what, out decimal number, out string unit, out string error)
    {
        number = default;
        unit = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"an empty value is not a valid {what}";
            return false;
        }

        var match = NumberAndUnit().Match(value);
        if (!match.Success)
        {
            error = $"'{value}' is not a valid {what}: expected a number followed by an optional unit, like {(what == "duration" ? "'5s' or '500 ms'" : "'4MiB' or '10 MB'")}";
            return false;
        }

        if (!decimal.TryParse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            error = $"'{value}' is out of range for a {what}";
            return false;
        }

        unit = match.Groups["unit"].Value;
        error = string.Empty;
        return true;
    }

    [GeneratedRegex(@"^\s*(?<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(?<unit>\p{L}*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberAndUnit();

    private static Dictionary<string, decimal> BuildDurationUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal ticks, params string[] names)
        {
            foreach (var name in names)
            {
                units.Add(name, ticks);
            }
        }

        Add(0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(10m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return units;
    }

    private static Dictionary<string, decimal> BuildSizeUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["B"] = 1m,
            ["b"] = 1m,
            ["byte"] = 1m,
            ["bytes"] = 1m,
        };

        string[] decimalPrefixes = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] decimalNames = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryNames = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal power10 = 1m, power2 = 1m;
        for (var i = 0; i < decimalPrefixes.Length; i++)
        {
            power10 *= 1000m;
            power2 *= 1024m;
            var upper = decimalPrefixes[i].ToUpperInvariant();
            var lower = decimalPrefixes[i].ToLowerInvariant();
            units[decimalPrefixes[i] + "B"] = power10;
            units[decimalNames[i] + "byte"] = power10;
            units[decimalNames[i] + "bytes"] = power10;
            units[upper] = power2;
            units[lower] = power2;
            units[upper + "i"] = power2;
            units[upper + "iB"] = power2;
            units[binaryNames[i] + "byte"] = power2;
            units[binaryNames[i] + "bytes"] = power2;
        }

        return units;
    }
}
