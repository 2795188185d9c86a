using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Archiver.Bench;

/// <summary>
/// One measured figure. <see cref="Goal"/> null: shown for context, no target. With <see cref="Spread"/>, the figure
/// was measured more than once in the run and <see cref="Value"/> is the median of those runs.
/// </summary>
internal sealed record Figure(string Scenario, string Name, double Value, string Unit, Goal? Goal, bool IsRatio = false, string? Note = null, Spread? Spread = null)
{
    public bool? Met => Goal?.IsMet(Value);

    public string Shown => Format(Value, Unit);

    /// <summary>The runs' lowest and highest values and their count, or "-" when measured once.</summary>
    public string ShownSpread => Spread is { } s ? $"{WithoutUnit(Format(s.Min, Unit))} – {Format(s.Max, Unit)} ({s.Runs} runs)" : "-";

    /// <summary>The median of <paramref name="runs"/> as the value, with their spread.</summary>
    public static Figure Median(string scenario, string name, IReadOnlyList<double> runs, string unit, Goal? goal, bool isRatio = false, string? note = null)
    {
        var spread = Spread.Of(runs);
        return new(scenario, name, spread.Median, unit, goal, isRatio, note, runs.Count > 1 ? spread : null);
    }

    private string WithoutUnit(string shown) => shown.EndsWith(" " + Unit, StringComparison.Ordinal) ? shown[..^(Unit.Length + 1)] : shown;

    public static string Format(double value, string unit) => unit switch
    {
        "%" => value.ToString(value < 10 ? "0.000" : "0.00", CultureInfo.InvariantCulture) + " %",
        "x" => value.ToString("0.000", CultureInfo.InvariantCulture),
        "" => value.ToString("0.##", CultureInfo.InvariantCulture),
        _ => value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + unit,
    };
}

/// <summary>What repeated runs of one figure gave: their median, lowest and highest value, and how many there were.</summary>
internal sealed record Spread(double Median, double Min, double Max, int Runs)
{
    public static Spread Of(IReadOnlyList<double> runs)
    {
        var sorted = runs.Where(r => !double.IsNaN(r)).Order().ToList();
        if (sorted.Count == 0)
        {
            return new(double.NaN, double.NaN, double.NaN, runs.Count);
        }

        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new(median, sorted[0], sorted[^1], runs.Count);
    }
}

/// <summary>A target: at least or below / at most a threshold.</summary>
internal sealed record Goal(string Comparison, double Threshold, string Unit)
{
    public static Goal AtLeast(double t, string unit) => new(">=", t, unit);

    public static Goal Below(double t, string unit) => new("<", t, unit);

    public static Goal AtMost(double t, string unit) => new("<=", t, unit);

    public bool HigherIsBetter => Comparison == ">=";

    public bool IsMet(double value) => Comparison switch
    {
        ">=" => value >= Threshold,
        "<" => value < Threshold,
        _ => value <= Threshold,
    };

    public override string ToString() => $"{Comparison.Replace(">=", "≥", StringComparison.Ordinal).Replace("<=", "≤", StringComparison.Ordinal)} {Figure.Format(Threshold, Unit)}";
}

internal static class Report
{
    public static string Machine() =>
        $"{Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), {RuntimeInformation.FrameworkDescription}";

    public static void PrintTable(IReadOnlyList<Figure> figures)
    {
        PrintColumns(
            ["scenario", "figure", "value", "spread", "target", "met?"],
            [.. figures.Select(f => new[] { f.Scenario, f.Name, f.Shown, f.ShownSpread, f.Goal?.ToString() ?? "-", MetText(f.Met) })]);
        foreach (var f in figures.Where(f => f.Note is not null))
        {
            Console.WriteLine($"  note [{f.Scenario} / {f.Name}]: {f.Note}");
        }
    }

    /// <summary>A table on the console after a blank line: a header, a rule, then the rows, each column as wide as its widest cell.</summary>
    public static void PrintColumns(string[] header, IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i])));
        Console.WriteLine();
        Console.WriteLine(Line(header));
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row));
        }
    }

    /// <summary>A Markdown section of bullets under <paramref name="heading"/>; nothing at all when there are none.</summary>
    public static void AppendList(StringBuilder md, string heading, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {heading}");
        md.AppendLine();
        foreach (var item in items)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {item}");
        }
    }

    public static string Markdown(IReadOnlyList<Figure> figures, string mode, string command, IReadOnlyList<string> notes)
    {
        var md = new StringBuilder();
        md.AppendLine("# Archiver benchmark results");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Mode: {mode}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{command}`");
        md.AppendLine("- Every scenario runs the real node (ArchiverNode, SQLite in a temp dir, DropboxUploadTarget over HTTP) against the Dropbox emulator on 127.0.0.1, both in this one process (failover: the nodes are `archiver run` processes of their own); every ratio is measured in the same run.");
        md.AppendLine("- A figure with a spread was measured several times in the run, after a warm-up: its value is their median, the spread their lowest and highest.");
        md.AppendLine();
        md.AppendLine("| scenario | figure | value | spread | target | met? |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var f in figures)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Scenario} | {f.Name} | {f.Shown} | {f.ShownSpread} | {f.Goal?.ToString() ?? "-"} | {MetText(f.Met)} |");
        }

        AppendList(md, "Notes", [.. notes.Concat(figures.Where(f => f.Note is not null).Select(f => $"{f.Scenario} / {f.Name}: {f.Note}"))]);
        return md.ToString();
    }

    /// <summary>A hand-written horizontal bar chart: each figure with a target, bar = value, tick = target.</summary>
    public static string Svg(IReadOnlyList<Figure> figures, string title)
    {
        var rows = figures.Where(f => f.Goal is not null).ToList();
        const int left = 330, barWidth = 420, rowHeight = 34, top = 50;
        var width = left + barWidth + 170;
        var height = top + (rows.Count * rowHeight) + 40;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>");
        svg.AppendLine("<text x=\"10\" y=\"40\" fill=\"#555\">bar = measured (median when repeated, thin line = lowest to highest run), black tick = target; green = target met, red = missed (each row has its own scale)</text>");
        for (var i = 0; i < rows.Count; i++)
        {
            var f = rows[i];
            var goal = f.Goal!;
            var scale = Math.Max(Math.Max(f.Spread?.Max ?? f.Value, Math.Max(f.Value, goal.Threshold)), 1e-9) * 1.15;
            var y = top + (i * rowHeight);
            var w = Math.Max(1, f.Value / scale * barWidth);
            var tx = left + (goal.Threshold / scale * barWidth);
            var colour = f.Met == true ? "#3a9d5d" : "#d0493e";
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y + 20}\">{Escape($"{f.Scenario}: {f.Name}")}</text>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y + 6}\" width=\"{w:0.0}\" height=\"20\" fill=\"{colour}\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{tx:0.0}\" y1=\"{y + 2}\" x2=\"{tx:0.0}\" y2=\"{y + 30}\" stroke=\"black\" stroke-width=\"2\"/>");
            if (f.Spread is { } spread)
            {
                var (x1, x2) = (left + (spread.Min / scale * barWidth), left + (spread.Max / scale * barWidth));
                svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{x1:0.0}\" y1=\"{y + 16}\" x2=\"{x2:0.0}\" y2=\"{y + 16}\" stroke=\"#222\" stroke-width=\"1.5\"/>");
            }
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left + barWidth + 10}\" y=\"{y + 20}\">{Escape($"{f.Shown} (target {goal})")}</text>");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string MetText(bool? met) => met switch { true => "yes", false => "NO", null => "-" };

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
