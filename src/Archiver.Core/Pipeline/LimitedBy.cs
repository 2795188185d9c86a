namespace Archiver.Core.Pipeline;

/// <summary>
/// What holds a running customer at the pace it goes, as status shows it: its own configured rate, or the reason it
/// stays below that rate. <see cref="LimitedByRule"/> decides it from a <see cref="PipelineLoad"/> and the throttle.
/// The wire names (<see cref="LimitedByNames.Wire"/>) are part of the admin API and never change.
/// </summary>
public enum LimitedBy
{
    /// <summary>At its limit: the throttle, at the configured rate, is what items wait for (<c>rate</c>).</summary>
    Rate,

    /// <summary>Dropbox answered 429: the customer is paused until a Retry-After, or its rate is cut below the configured one (<c>dropbox</c>).</summary>
    Dropbox,

    /// <summary>Every upload slot is busy most of the time and rate × upload time exceeds the parallelism (<c>parallelism</c>).</summary>
    Parallelism,

    /// <summary>Every upload slot is busy, and a good share of that time goes on waiting for the node's <see cref="UploadBudget"/> (<c>node-upload-budget</c>).</summary>
    NodeUploadBudget,

    /// <summary>Nothing is due: the pipeline is down for want of work, or its source waits for work most of the time (<c>no-work</c>).</summary>
    NoWork,
}

/// <summary>How a <see cref="LimitedBy"/> is written in the API and shown to an operator.</summary>
public static class LimitedByNames
{
    /// <summary>The stable name in the admin API's JSON.</summary>
    public static string Wire(this LimitedBy bound) => bound switch
    {
        LimitedBy.Rate => "rate",
        LimitedBy.Dropbox => "dropbox",
        LimitedBy.Parallelism => "parallelism",
        LimitedBy.NodeUploadBudget => "node-upload-budget",
        LimitedBy.NoWork => "no-work",
        _ => throw new ArgumentOutOfRangeException(nameof(bound), bound, null),
    };

    /// <summary>The words status shows (the CLI and the status page).</summary>
    public static string Describe(this LimitedBy bound) => bound switch
    {
        LimitedBy.Rate => "at limit",
        LimitedBy.Dropbox => "limited by Dropbox",
        LimitedBy.Parallelism => "parallelism-bound",
        LimitedBy.NodeUploadBudget => "node upload budget",
        LimitedBy.NoWork => "no work",
        _ => throw new ArgumentOutOfRangeException(nameof(bound), bound, null),
    };

    /// <summary>The bound a wire name stands for; null for null or a name this version does not know.</summary>
    public static LimitedBy? FromWire(string? wire) => wire switch
    {
        "rate" => LimitedBy.Rate,
        "dropbox" => LimitedBy.Dropbox,
        "parallelism" => LimitedBy.Parallelism,
        "node-upload-budget" => LimitedBy.NodeUploadBudget,
        "no-work" => LimitedBy.NoWork,
        _ => null,
    };
}
