using Archiver.Core.Content;
using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Core.Uploads;
using Microsoft.Extensions.Logging;

namespace Archiver.Core.Pipeline;

/// <summary>The node-wide services every customer pipeline shares.</summary>
public sealed record PipelineServices(
    IArchiveStore Store,
    IUploadTarget Target,
    IContentSource Content,
    WorkSignal Signal,
    TimeProvider Time,
    ILogger Logger)
{
    /// <summary>
    /// Writes every customer's checkpoints on this node together (group commit), to <see cref="Store"/>: a copy made
    /// <c>with</c> another store needs a new one.
    /// </summary>
    public GroupCommit Checkpoints { get; init; } = new(Store);

    /// <summary>The node-wide cap on uploads in flight; none unless the host sets one.</summary>
    public UploadBudget Uploads { get; init; } = UploadBudget.Unlimited;

    /// <summary>
    /// Makes a customer's rate controller when its throttle is created: <see cref="RateController"/>, unless a
    /// benchmark runs another beside it to compare.
    /// </summary>
    public Func<CustomerId, ThrottleLimits, IRateController> RateControllers { get; init; } = (_, limits) => new RateController(limits);
}
