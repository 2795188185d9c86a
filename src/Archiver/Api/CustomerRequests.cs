using Archiver.Core.Customers;

namespace Archiver.Api;

/// <summary>The body of <c>POST /api/v1/customers</c>.</summary>
internal sealed record CreateCustomerRequest(
    string? Id,
    string? Name,
    string? AccessToken,
    string? RefreshToken,
    double? RatePerSecond,
    int? Burst,
    int? Parallelism,
    string? PathTemplate,
    ConflictPolicy? ConflictPolicy);

/// <summary>The body of <c>PATCH /api/v1/customers/{id}</c>: absent members stay as they are.</summary>
internal sealed record UpdateCustomerRequest(
    string? Name,
    string? AccessToken,
    string? RefreshToken,
    double? RatePerSecond,
    int? Burst,
    int? Parallelism,
    string? PathTemplate,
    ConflictPolicy? ConflictPolicy);
