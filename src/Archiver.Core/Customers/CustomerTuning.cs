namespace Archiver.Core.Customers;

/// <summary>
/// Per-customer pipeline settings kept with the customer (set through the CLI or admin API).
/// A null value means "use the configured default".
/// </summary>
/// <param name="RatePerSecond">Dropbox calls per second this customer may make.</param>
/// <param name="Burst">How many calls may go out at once after an idle spell.</param>
/// <param name="Parallelism">How many uploads may be in flight at once.</param>
/// <param name="PathTemplate">Where files land in Dropbox; see <see cref="Paths.PathTemplate"/>.</param>
/// <param name="ConflictPolicy">What to do when different content already sits at an item's path.</param>
public sealed record CustomerTuning(
    double? RatePerSecond = null,
    int? Burst = null,
    int? Parallelism = null,
    string? PathTemplate = null,
    ConflictPolicy? ConflictPolicy = null)
{
    public static CustomerTuning Default { get; } = new();
}
