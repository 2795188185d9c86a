using System.Globalization;

namespace Archiver.Commands;

/// <summary>An account of <c>archiver emulator --account name:token[:rate[:burst]]</c>.</summary>
internal sealed record EmulatedAccount(string Name, string Token, double RatePerSecond, int Burst)
{
    private const string Shape = "name:token[:rate[:burst]], e.g. acme:sl.acme:20:5";

    /// <summary>Reads one <c>--account</c> value; returns what is wrong with it, or null.</summary>
    public static string? Parse(string spec, out EmulatedAccount? account)
    {
        account = null;
        var parts = spec.Split(':');
        if (parts.Length is < 2 or > 4 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return $"--account '{spec}' must look like {Shape}.";
        }

        var rate = 0d;
        if (parts.Length > 2 && !(double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out rate) && double.IsFinite(rate) && rate >= 0))
        {
            return $"--account '{spec}': rate '{parts[2]}' is not a number of calls per second (0 or more; 0: unlimited); expected {Shape}.";
        }

        var burst = 1;
        if (parts.Length > 3 && !(int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out burst) && burst >= 1))
        {
            return $"--account '{spec}': burst '{parts[3]}' is not a whole number of calls (1 or more); expected {Shape}.";
        }

        account = new EmulatedAccount(parts[0], parts[1], rate, burst);
        return null;
    }
}
