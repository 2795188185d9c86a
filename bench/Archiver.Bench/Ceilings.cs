using System.Net.Http.Headers;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Bench;

/// <summary>
/// What the node's parts do on their own, measured in the same run as the node: the store's claim-and-checkpoint loop
/// with no upload at all, and the emulator's <c>files/upload</c> with no store. The node's throughput divided by the
/// lower of the two is how close the whole comes to what its slowest part allows — a figure that holds from one
/// machine (or one day) to the next, where absolute items/s do not.
/// </summary>
internal static class Ceilings
{
    /// <summary>
    /// Drives the queue as the node's streams do, flat out: for every customer at once, take its lease, then claim a
    /// page of <paramref name="pageSize"/> items and checkpoint the page as archived in one transaction, until nothing
    /// is left. Returns items checkpointed per second (of <paramref name="expected"/>, timed by <see cref="SteadyWindow"/>).
    /// </summary>
    public static async Task<double> StoreItemsPerSecondAsync(
        IArchiveStore store, IReadOnlyList<CustomerId> customers, long expected, int pageSize, CancellationToken cancellationToken)
    {
        var leases = new List<Lease>();
        foreach (var customer in customers)
        {
            leases.Add(await store.AcquireLeaseAsync(customer, "ceiling", TimeSpan.FromMinutes(30), cancellationToken)
                ?? throw new InvalidOperationException($"The store ceiling could not take {customer}'s lease."));
        }

        var window = new SteadyWindow(expected);
        await Task.WhenAll(leases.Select(lease => DrainAsync(store, lease, pageSize, window, cancellationToken)));
        return window.ItemsPerSecond;
    }

    private static async Task DrainAsync(IArchiveStore store, Lease lease, int pageSize, SteadyWindow window, CancellationToken cancellationToken)
    {
        var afterId = 0L;
        while (await store.ClaimAsync(lease, afterId, pageSize, cancellationToken) is { Count: > 0 } page)
        {
            afterId = page[^1].Id;
            var outcomes = page
                .Select(item => (ItemOutcome)new ItemOutcome.Archived(item.Id, new ArchivedFile($"id:{item.Id}", "015f1", $"/ceiling/{item.ExternalId}", "hash", item.Size ?? 0)))
                .ToList();
            window.Add((await store.CheckpointAsync(lease, outcomes, cancellationToken)).Applied);
        }
    }

    /// <summary>
    /// <paramref name="items"/> uploads of <paramref name="size"/> bytes each, spread over the accounts of
    /// <paramref name="customers"/> in turn, sent as plain <c>files/upload</c> calls by <paramref name="concurrency"/>
    /// workers at once. Returns uploads per second (timed by <see cref="SteadyWindow"/>). Every call must succeed: a
    /// refused one would flatter the figure.
    /// </summary>
    public static async Task<double> EmulatorItemsPerSecondAsync(
        Uri emulator, IReadOnlyList<string> customers, int items, int size, int concurrency, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = emulator };
        var body = new byte[size];
        var next = -1;
        var window = new SteadyWindow(items);
        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < items)
            {
                var customer = customers[index % customers.Count];
                using var request = new HttpRequestMessage(HttpMethod.Post, "2/files/upload") { Content = new ByteArrayContent(body) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BenchHost.TokenOf(customer));
                request.Headers.Add("Dropbox-API-Arg", $$"""{"path":"/ceiling/{{customer}}/{{index}}.bin","mode":"add","autorename":false,"mute":true}""");
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException(
                        $"The emulator ceiling's upload {index} was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }

                window.Add(1);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        return window.ItemsPerSecond;
    }
}
