using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Api;

/// <summary>A customer as the API shows it: whether tokens are set, never the tokens.</summary>
/// <param name="ServedBy">The node id holding the customer's lease, which serves it now; null when none does.</param>
internal sealed record CustomerView(
    string Id,
    string Name,
    CustomerState State,
    string? StateReason,
    bool HasAccessToken,
    bool HasRefreshToken,
    double? RatePerSecond,
    int? Burst,
    int? Parallelism,
    string? PathTemplate,
    ConflictPolicy? ConflictPolicy,
    DateTimeOffset CreatedAt,
    ProgressView? Progress,
    string? ServedBy)
{
    public static CustomerView Of(Customer customer, CustomerProgress? progress = null, string? servedBy = null) => new(
        customer.Id.Value,
        customer.Name,
        customer.State,
        customer.StateReason,
        customer.Dropbox.AccessToken is not null,
        customer.Dropbox.RefreshToken is not null,
        customer.Tuning.RatePerSecond,
        customer.Tuning.Burst,
        customer.Tuning.Parallelism,
        customer.Tuning.PathTemplate,
        customer.Tuning.ConflictPolicy,
        customer.CreatedAt,
        progress is null ? null : ProgressView.Of(progress),
        servedBy);
}

/// <summary>How many of a customer's items are in each status.</summary>
internal sealed record ProgressView(long Pending, long InFlight, long Archived, long Failed, long Backlog)
{
    public static ProgressView Of(CustomerProgress p) => new(p.Pending, p.InFlight, p.Archived, p.Failed, p.Backlog);
}
