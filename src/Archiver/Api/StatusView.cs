using Archiver.Customers;

namespace Archiver.App.Api;

/// <summary>The answer of <c>GET /api/v1/status</c>: the node, and every customer's state and progress.</summary>
internal sealed record StatusView(NodeView Node, DateTimeOffset At, IReadOnlyList<CustomerStatusView> Customers);

/// <summary>The node answering.</summary>
internal sealed record NodeView(string NodeId, string? Address, DateTimeOffset StartedAt, string Version);

/// <summary>One customer's state and progress, with this node's live figures.</summary>
/// <param name="Phase">The pipeline's phase on this node (<c>running</c>, <c>waiting-for-lease</c>, …), null when it never ran here.</param>
/// <param name="CurrentRate">The throttle's current ceiling (calls/s), below <paramref name="RateLimit"/> after 429s.</param>
/// <param name="RateLimit">The calls per second in force for the customer: its block in the configuration file, else its stored tuning, else the default.</param>
/// <param name="ItemsPerSecond">Items archived per second lately.</param>
internal sealed record CustomerStatusView(
    string Id,
    string Name,
    CustomerState State,
    string? StateReason,
    string? Phase,
    long Backlog,
    long Pending,
    long InFlight,
    long Archived,
    long Failed,
    double? CurrentRate,
    double RateLimit,
    double ItemsPerSecond,
    long RateLimitedLastMinute,
    long BytesArchived,
    string? LastError);
