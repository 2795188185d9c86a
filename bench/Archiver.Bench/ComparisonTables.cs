using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Archiver.Bench;

/// <summary>One figure as a run's <c>latest.md</c> shows it: the leading number of its value cell and the text after it.</summary>
/// <param name="Decimals">How many decimals the run printed, so a median is shown as precisely as its runs were.</param>
internal sealed record ShownFigure(string Scenario, string Name, double Value, string Unit, int Decimals);

/// <summary>One finished run of one build: its place in the alternation and the figures it wrote.</summary>
internal sealed record ComparisonRun(int Order, ComparedBuild Build, int Number, TimeSpan Duration, IReadOnlyList<ShownFigure> Figures)
{
    /// <summary>The run's column heading: its place in the order, then which build it was.</summary>
    public string Heading => $"{Order}: {Build.Role} {Build.Label}";
}

/// <summary>One side of a comparison: a Release build of the bench, labelled by its short commit id.</summary>
/// <param name="Role"><c>REV</c> (the revision asked for) or <c>current</c> (the tree this bench runs from).</param>
/// <param name="Root">Its source tree, the runs' working directory.</param>
internal sealed record ComparedBuild(string Role, string Label, string Assembly, string Root);

/// <summary>
/// Reads the runs' <c>latest.md</c> tables and sets the two builds' figures side by side: for each figure both report,
/// each build's median with its min–max, and the ratio of the medians, current ÷ REV.
/// </summary>
internal static partial class ComparisonTables
{
    /// <summary>Leading number (sign, digits maybe grouped by commas, decimals, exponent), then whatever follows it.</summary>
    [GeneratedRegex(@"^(?<number>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(?<decimals>\d+))?(?:[eE][-+]?\d+)?)(?<rest>.*)$")]
    private static partial Regex LeadingNumber();

    /// <summary>
    /// The figures of the first table whose header names <c>scenario</c>, <c>figure</c> and <c>value</c>, wherever those
    /// columns are and whatever other columns there are. A value cell without a leading number (<c>NaN</c>, <c>-</c>) is
    /// skipped. The unit is the text after the number up to any spread or note (<c>±</c>, <c>(</c>, <c>[</c>). A figure
    /// named twice in one scenario gets <c>#2</c>, <c>#3</c>... so neither hides the other.
    /// </summary>
    public static List<ShownFigure> Parse(string markdown)
    {
        var figures = new List<ShownFigure>();
        var lines = markdown.Split('\n').Select(l => l.Trim()).ToList();
        var header = lines.FindIndex(l => l.StartsWith('|') && HeaderCells(l) is var c && c.Contains("scenario") && c.Contains("figure") && c.Contains("value"));
        if (header < 0)
        {
            return figures;
        }

        var columns = HeaderCells(lines[header]);
        int scenario = columns.IndexOf("scenario"), figure = columns.IndexOf("figure"), value = columns.IndexOf("value");
        var seen = new Dictionary<(string, string), int>();
        foreach (var line in lines.Skip(header + 1).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = Cells(line);
            if (cells.Count < columns.Count || cells.All(c => c.Trim(':').Length > 0 && c.Trim(':').All(ch => ch == '-')))
            {
                continue; // the separator row, or a row short of cells
            }

            if (LeadingNumber().Match(cells[value]) is not { Success: true } number
                || !double.TryParse(number.Groups["number"].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                || !double.IsFinite(parsed))
            {
                continue;
            }

            var unit = number.Groups["rest"].Value;
            var end = unit.IndexOfAny(['±', '(', '[']);
            unit = (end >= 0 ? unit[..end] : unit).Trim();
            var key = (cells[scenario], cells[figure]);
            var count = seen[key] = seen.GetValueOrDefault(key) + 1;
            var name = count == 1 ? cells[figure] : $"{cells[figure]} #{count}";
            figures.Add(new ShownFigure(cells[scenario], name, parsed, unit, number.Groups["decimals"].Length));
        }

        return figures;
    }

    /// <summary>The comparison's Markdown: what was run and how, the medians and ratios, then every run's figures.</summary>
    public static string Markdown(ComparedBuild rev, string revDescription, ComparedBuild current, IReadOnlyList<ComparisonRun> runs, bool quick, string command)
    {
        var rows = Rows(rev, current, runs);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Archiver bench: {current.Label} against {rev.Label}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Report.Machine()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Mode: {(quick ? "quick" : "full")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{command}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- REV: {revDescription}, built with `dotnet build -c Release` in a detached worktree of its own.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- current: {current.Label}, the Release build this command ran from (`dotnet run` builds the working tree first){(current.Label.EndsWith(Comparison.DirtySuffix, StringComparison.Ordinal) ? "; `+dirty`: with the working tree's uncommitted changes to tracked files" : "")}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Runs: {runs.Count / 2} of each build, each a process of its own, alternating ABBA so that a drift over the session weighs on both builds alike: {string.Join(", ", runs.Select(r => $"{r.Build.Role} ({r.Duration.TotalSeconds:0} s)"))}.");
        md.AppendLine("- Absolute figures on a shared machine drift by as much as 2x from one day to the next: the comparison is the ratio of two builds measured in the same session, not either build's absolute figures, and not figures from another day.");
        md.AppendLine("- Above 1: the current build's figure is higher, which is better for a rate and worse for a time or a share of errors. Where the two builds' min–max ranges overlap, the difference is within the runs' own spread.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| scenario | figure | {rev.Label} (REV) median (min–max) | {current.Label} (current) median (min–max) | current ÷ REV |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var row in rows.Where(r => r.InBoth))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Name} | {row.Summary(rev)} | {row.Summary(current)} | {row.Ratio} |");
        }

        md.AppendLine();
        md.AppendLine("## Every run");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| scenario | figure | {string.Join(" | ", runs.Select(r => r.Heading))} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"|---|---|{string.Concat(runs.Select(_ => "---|"))}");
        foreach (var row in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Name} | {string.Join(" | ", runs.Select(row.Shown))} |");
        }

        Report.AppendList(
            md,
            "Figures only one build reports",
            [.. rows.Where(r => !r.InBoth).Select(r => $"{r.Scenario} / {r.Name}: only {(r.Values(rev).Count > 0 ? rev : current).Label}")]);
        return md.ToString();
    }

    /// <summary>The medians table on the console, columns aligned as the bench's own (<see cref="Report.PrintColumns"/>).</summary>
    public static void Print(ComparedBuild rev, ComparedBuild current, IReadOnlyList<ComparisonRun> runs) =>
        Report.PrintColumns(
            ["scenario", "figure", $"{rev.Label} (REV)", $"{current.Label} (current)", "current ÷ REV"],
            [.. Rows(rev, current, runs).Where(r => r.InBoth).Select(r => new[] { r.Scenario, r.Name, r.Summary(rev), r.Summary(current), r.Ratio })]);

    /// <summary>Every figure any run reported, in the order the runs report them.</summary>
    private static List<FigureRow> Rows(ComparedBuild rev, ComparedBuild current, IReadOnlyList<ComparisonRun> runs) =>
        [.. runs.SelectMany(r => r.Figures.Select(f => (f.Scenario, f.Name)))
            .Distinct()
            .Select(key => new FigureRow(key.Scenario, key.Name, runs, rev, current))];

    /// <summary>One figure across every run.</summary>
    private sealed class FigureRow(string scenario, string name, IReadOnlyList<ComparisonRun> runs, ComparedBuild rev, ComparedBuild current)
    {
        public string Scenario => scenario;

        public string Name => name;

        public bool InBoth => Values(rev).Count > 0 && Values(current).Count > 0;

        /// <summary>Current median ÷ REV median; no ratio when the units differ or REV's median is 0.</summary>
        public string Ratio
        {
            get
            {
                var (a, b) = (Values(rev), Values(current));
                string unitA = Unit(rev), unitB = Unit(current);
                if (unitA != unitB)
                {
                    return $"- (units differ: {Quoted(unitA)}, {Quoted(unitB)})";
                }

                var (medianA, medianB) = (Median(a), Median(b));
                if (medianA == 0)
                {
                    return medianB == 0 ? "both 0" : "- (REV median 0)";
                }

                var overlap = a.Min(v => v.Value) <= b.Max(v => v.Value) && b.Min(v => v.Value) <= a.Max(v => v.Value);
                return (medianB / medianA).ToString("0.000", CultureInfo.InvariantCulture) + (overlap ? " (ranges overlap)" : "");
            }
        }

        /// <summary>This figure's values from <paramref name="build"/>'s runs.</summary>
        public List<ShownFigure> Values(ComparedBuild build) =>
            [.. runs.Where(r => r.Build == build).SelectMany(r => r.Figures.Where(f => f.Scenario == scenario && f.Name == name))];

        /// <summary>Median, unit and min–max; how many runs, should some runs not have reported it.</summary>
        public string Summary(ComparedBuild build)
        {
            var values = Values(build);
            var decimals = values.Max(v => v.Decimals);
            var unit = Unit(build);
            var text = $"{Number(Median(values), decimals)}{(unit.Length > 0 ? " " + unit : "")} ({Number(values.Min(v => v.Value), decimals)}–{Number(values.Max(v => v.Value), decimals)})";
            var ran = runs.Count(r => r.Build == build);
            return values.Count < ran ? $"{text} [{values.Count} of {ran} runs]" : text;
        }

        /// <summary>What one run reported for this figure, as it wrote it, or - if it did not.</summary>
        public string Shown(ComparisonRun run) =>
            run.Figures.FirstOrDefault(f => f.Scenario == scenario && f.Name == name) is { } f
                ? Number(f.Value, f.Decimals) + (f.Unit.Length > 0 ? " " + f.Unit : "")
                : "-";

        private string Unit(ComparedBuild build) => Values(build).GroupBy(v => v.Unit).OrderByDescending(g => g.Count()).First().Key;

        private static double Median(List<ShownFigure> values)
        {
            var sorted = values.Select(v => v.Value).Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        private static string Number(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        private static string Quoted(string unit) => unit.Length > 0 ? unit : "none";
    }

    /// <summary>A header row's cells, in lower case so that <c>Scenario</c> is found as well as <c>scenario</c>.</summary>
    private static List<string> HeaderCells(string line) => [.. Cells(line).Select(c => c.ToLowerInvariant())];

    /// <summary>A Markdown row's cells, trimmed and without the outer pipes.</summary>
    private static List<string> Cells(string line) => [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];
}
