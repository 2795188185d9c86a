using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Paths;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;

namespace Archiver.Api;

/// <summary><c>/api/v1/customers</c>: create, update, list, show, pause, resume, retry-failed.</summary>
internal static class CustomerEndpoints
{
    /// <summary>How long a pause or resume waits for the customer's actor (busy recovering at a node's start, at worst).</summary>
    private static readonly TimeSpan LifecycleCommandTimeout = TimeSpan.FromSeconds(20);

    public static void Map(RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers");
        customers.MapGet("/", ListAsync);
        customers.MapPost("/", CreateAsync);
        customers.MapGet("/{id}", ShowAsync);
        customers.MapPatch("/{id}", UpdateAsync);
        customers.MapPost("/{id}/pause", (string id, IArchiveStore store, ArchiverNode node, CancellationToken ct) =>
            SetStateAsync(id, CustomerState.Paused, "paused by an operator", store, node, ct));
        customers.MapPost("/{id}/resume", (string id, IArchiveStore store, ArchiverNode node, CancellationToken ct) =>
            SetStateAsync(id, CustomerState.Active, "resumed by an operator", store, node, ct));
        customers.MapPost("/{id}/retry-failed", RetryFailedAsync);
    }

    private static async Task<IResult> ListAsync(IArchiveStore store, CancellationToken ct)
    {
        var progress = (await store.GetProgressAsync(null, ct)).ToDictionary(p => p.Customer);
        var customers = await store.ListCustomersAsync(ct);
        var servedBy = (await store.ListLeasesAsync(ct)).DistinctBy(l => l.Customer).ToDictionary(l => l.Customer, l => l.NodeId);
        return Results.Ok(customers.Select(c => CustomerView.Of(c, progress.GetValueOrDefault(c.Id) ?? Empty(c.Id), servedBy.GetValueOrDefault(c.Id))).ToArray());
    }

    private static async Task<IResult> ShowAsync(string id, IArchiveStore store, CancellationToken ct)
    {
        if (await FindAsync(id, store, ct) is not { } customer)
        {
            return Problems.UnknownCustomer(id);
        }

        var progress = (await store.GetProgressAsync(customer.Id, ct)).FirstOrDefault() ?? Empty(customer.Id);
        return Results.Ok(CustomerView.Of(customer, progress, await ServedByAsync(customer.Id, store, ct)));
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IArchiveStore store, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateCustomerRequest>(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!CustomerId.IsValid(body!.Id))
        {
            errors["id"] = ["is required: 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit."];
        }

        if (string.IsNullOrWhiteSpace(body.AccessToken) && string.IsNullOrWhiteSpace(body.RefreshToken))
        {
            errors["accessToken"] = ["give the customer's Dropbox accessToken or refreshToken."];
        }

        ValidateTuning(body.RatePerSecond, body.Burst, body.Parallelism, body.PathTemplate, errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        try
        {
            var customer = await store.AddCustomerAsync(new NewCustomer(
                new CustomerId(body.Id!),
                string.IsNullOrWhiteSpace(body.Name) ? body.Id! : body.Name,
                new DropboxCredentials(SecretOf(body.AccessToken), SecretOf(body.RefreshToken)),
                new CustomerTuning(body.RatePerSecond, body.Burst, body.Parallelism, body.PathTemplate, body.ConflictPolicy)), ct);
            return Results.Created($"/api/v1/customers/{customer.Id}", CustomerView.Of(customer, Empty(customer.Id)));
        }
        catch (DuplicateCustomerException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Customer exists", detail: ex.Message);
        }
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IArchiveStore store, CancellationToken ct)
    {
        if (await FindAsync(id, store, ct) is not { } customer)
        {
            return Problems.UnknownCustomer(id);
        }

        var (body, problem) = await JsonBody.ReadAsync<UpdateCustomerRequest>(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ValidateTuning(body!.RatePerSecond, body.Burst, body.Parallelism, body.PathTemplate, errors);
        if (body.Name is { } name && string.IsNullOrWhiteSpace(name))
        {
            errors["name"] = ["must not be blank."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var tuning = customer.Tuning;
        var newTuning = new CustomerTuning(
            body.RatePerSecond ?? tuning.RatePerSecond,
            body.Burst ?? tuning.Burst,
            body.Parallelism ?? tuning.Parallelism,
            body.PathTemplate ?? tuning.PathTemplate,
            body.ConflictPolicy ?? tuning.ConflictPolicy);
        var tokensGiven = !string.IsNullOrWhiteSpace(body.AccessToken) || !string.IsNullOrWhiteSpace(body.RefreshToken);
        var updated = await store.UpdateCustomerAsync(customer.Id, new CustomerUpdate(
            body.Name,
            tokensGiven ? new DropboxCredentials(SecretOf(body.AccessToken), SecretOf(body.RefreshToken)) : null,
            newTuning == tuning ? null : newTuning), ct);
        if (updated is null)
        {
            return Problems.UnknownCustomer(id);
        }

        var progress = (await store.GetProgressAsync(updated.Id, ct)).FirstOrDefault() ?? Empty(updated.Id);
        return Results.Ok(CustomerView.Of(updated, progress, await ServedByAsync(updated.Id, store, ct)));
    }

    /// <summary>
    /// Pause or resume: journaled by the customer's actor and written to the store by it when this node serves the
    /// customer; otherwise written to the store here, and journaled by the node serving it when it sees the change.
    /// </summary>
    private static async Task<IResult> SetStateAsync(string id, CustomerState state, string reason, IArchiveStore store, ArchiverNode node, CancellationToken ct)
    {
        if (await FindAsync(id, store, ct) is not { } customer)
        {
            return Problems.UnknownCustomer(id);
        }

        if (customer.State != state
            && !await node.ChangeLifecycleAsync(customer.Id, state, reason, LifecycleCommandTimeout, ct)
            && !await store.SetCustomerStateAsync(customer.Id, state, reason, ct))
        {
            return Problems.UnknownCustomer(id);
        }

        var now = await store.GetCustomerAsync(customer.Id, ct) ?? customer;
        return Results.Ok(CustomerView.Of(now, servedBy: await ServedByAsync(customer.Id, store, ct)));
    }

    private static async Task<IResult> RetryFailedAsync(string id, IArchiveStore store, WorkSignal signal, CancellationToken ct)
    {
        if (await FindAsync(id, store, ct) is not { } customer)
        {
            return Problems.UnknownCustomer(id);
        }

        var retried = await store.RetryFailedAsync(customer.Id, ct);
        if (retried > 0)
        {
            signal.Notify(customer.Id); // wake the customer's idle feed now rather than at its next poll
        }

        return Results.Ok(new RetriedView(customer.Id.Value, retried));
    }

    /// <summary>The node holding <paramref name="id"/>'s lease (serving it now), or null when none does.</summary>
    private static async Task<string?> ServedByAsync(CustomerId id, IArchiveStore store, CancellationToken ct) =>
        (await store.ListLeasesAsync(ct)).FirstOrDefault(l => l.Customer == id)?.NodeId;

    internal static async Task<Customer?> FindAsync(string id, IArchiveStore store, CancellationToken ct) =>
        CustomerId.IsValid(id) ? await store.GetCustomerAsync(new CustomerId(id), ct) : null;

    private static void ValidateTuning(double? rate, int? burst, int? parallelism, string? template, Dictionary<string, string[]> errors)
    {
        if (rate is { } r && !(r is >= TuningBounds.MinRatePerSecond and <= TuningBounds.MaxRatePerSecond))
        {
            errors["ratePerSecond"] = [Between(TuningBounds.MinRatePerSecond, TuningBounds.MaxRatePerSecond)];
        }

        if (burst is < TuningBounds.MinBurst or > TuningBounds.MaxBurst)
        {
            errors["burst"] = [Between(TuningBounds.MinBurst, TuningBounds.MaxBurst)];
        }

        if (parallelism is < TuningBounds.MinParallelism or > TuningBounds.MaxParallelism)
        {
            errors["parallelism"] = [Between(TuningBounds.MinParallelism, TuningBounds.MaxParallelism)];
        }

        if (template is not null)
        {
            try
            {
                PathTemplate.Parse(template);
            }
            catch (FormatException ex)
            {
                errors["pathTemplate"] = [ex.Message];
            }
        }
    }

    private static string Between(double min, double max) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be between {min} and {max}.");

    private static Secret? SecretOf(string? value) => string.IsNullOrWhiteSpace(value) ? null : new Secret(value);

    private static CustomerProgress Empty(CustomerId id) => new(id, 0, 0, 0, 0);
}
