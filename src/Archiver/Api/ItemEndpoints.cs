using System.Text.Json;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Hosting;
using Microsoft.Extensions.Options;

namespace Archiver.Api;

/// <summary><c>/api/v1/items</c>: enqueue one item (JSON), or many as JSON lines.</summary>
internal static class ItemEndpoints
{
    /// <summary>Accepted lines stored per store round trip.</summary>
    public const int BulkBatchSize = 500;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/items", EnqueueOneAsync);
        api.MapPost("/items/bulk", EnqueueBulkAsync);
    }

    private static async Task<IResult> EnqueueOneAsync(HttpRequest request, IArchiveStore store, IOptions<ContentOptions> content, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return JsonBody.Malformed(ex);
        }

        ItemRequestReading reading;
        using (document)
        {
            reading = ItemRequestReader.Read(document.RootElement);
        }

        if (reading.Problem is not null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an item", detail: reading.Problem);
        }

        var (item, errors) = new ItemValidation(content.Value).Validate(reading);
        if (item is null)
        {
            return Problems.Invalid(errors);
        }

        if (await store.GetCustomerAsync(item.Customer, ct) is null)
        {
            return Problems.UnknownCustomer(item.Customer.Value);
        }

        var result = (await store.EnqueueAsync([item], ct))[0];
        var view = new EnqueuedView(result.ItemId, result.Created);
        return result.Created ? Results.Created($"/api/v1/items/{result.ItemId}", view) : Results.Ok(view);
    }

    /// <summary>
    /// One JSON item per line. Every line is checked on its own; good lines are stored even when others are refused,
    /// and the answer lists each refused line with its number and reason. Blank lines are ignored.
    /// </summary>
    private static async Task<IResult> EnqueueBulkAsync(
        HttpRequest request, string? customer, IArchiveStore store, IOptions<ContentOptions> content, CancellationToken ct)
    {
        if (customer is not null && await CustomerEndpoints.FindAsync(customer, store, ct) is null)
        {
            return Problems.UnknownCustomer(customer);
        }

        var validation = new ItemValidation(content.Value);
        var known = new Dictionary<CustomerId, bool>();
        var refused = new List<RefusedLine>();
        var batch = new List<NewItem>(BulkBatchSize);
        int lines = 0, created = 0, duplicates = 0;

        using var reader = new StreamReader(request.Body);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lines++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var reading = ItemRequestReader.Read(line);
            var reason = reading.Problem;
            if (reason is null)
            {
                var (item, errors) = validation.Validate(reading, reading.Request!.Customer is null ? customer : null);
                if (item is null)
                {
                    reason = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value).TrimEnd('.')}")) + ".";
                }
                else if (!await ExistsAsync(item.Customer, known, store, ct))
                {
                    reason = $"no customer '{item.Customer}'.";
                }
                else
                {
                    batch.Add(item);
                }
            }

            if (reason is not null)
            {
                refused.Add(new RefusedLine(lines, reason));
            }

            if (batch.Count >= BulkBatchSize)
            {
                (created, duplicates) = Tally(await store.EnqueueAsync(batch, ct), created, duplicates);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            (created, duplicates) = Tally(await store.EnqueueAsync(batch, ct), created, duplicates);
        }

        return Results.Ok(new BulkEnqueueView(lines, created, duplicates, refused));
    }

    private static async Task<bool> ExistsAsync(CustomerId id, Dictionary<CustomerId, bool> known, IArchiveStore store, CancellationToken ct)
    {
        if (!known.TryGetValue(id, out var exists))
        {
            known[id] = exists = await store.GetCustomerAsync(id, ct) is not null;
        }

        return exists;
    }

    private static (int Created, int Duplicates) Tally(IReadOnlyList<EnqueueResult> results, int created, int duplicates)
    {
        var made = results.Count(r => r.Created);
        return (created + made, duplicates + results.Count - made);
    }
}
