using System.ComponentModel;
using System.Globalization;

namespace Archiver.Configuration.Hocon;

/// <summary>
/// A <see cref="TimeSpanConverter"/> that also reads HOCON durations (<c>5s</c>, <c>500 ms</c>, <c>250</c> = 250 ms).
/// Text containing ':' is read the .NET way (<c>00:00:05</c>, <c>1.02:03:04</c>). Installed process-wide by
/// <see cref="HoconValues.RegisterTimeSpanConverter"/>.
/// </summary>
public sealed class HoconTimeSpanConverter : TimeSpanConverter
{
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string text && !text.Contains(':', StringComparison.Ordinal))
        {
            return HoconValues.ParseDuration(text);
        }

        return base.ConvertFrom(context, culture, value);
    }
}
