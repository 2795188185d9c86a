using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Api;

/// <summary><c>GET /api/v1/events?after=&amp;limit=&amp;customer=&amp;type=</c>: the journal after a sequence number, oldest first.</summary>
internal static class EventEndpoints
{
    public const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder api) => api.MapGet("/events", ReadAsync);

    private static async Task<IResult> ReadAsync(
        IArchiveStore store, CancellationToken ct, long after = 0, int limit = 100, string? customer = null, string? type = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (after < 0)
        {
            errors["after"] = ["must not be negative."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"must be between 1 and {MaxLimit}."];
        }

        if (customer is not null && !CustomerId.IsValid(customer))
        {
            errors["customer"] = [$"'{customer}' is not a valid customer id."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var events = await store.ReadEventsAsync(
            new EventQuery(after, limit, customer is null ? null : new CustomerId(customer), string.IsNullOrWhiteSpace(type) ? null : type), ct);
        var views = events.Select(e => new EventView(e.Sequence, e.At, e.Customer?.Value, e.ItemId, e.Type, e.Details)).ToArray();
        return Results.Ok(new EventPageView(views, views.Length > 0 ? views[^1].Sequence : after));
    }
}
