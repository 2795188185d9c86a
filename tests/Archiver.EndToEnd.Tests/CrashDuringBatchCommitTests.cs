using Archiver.Core.Cluster;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Archiver.EndToEnd.Tests;

/// <summary>A node dies while Dropbox is applying its batch commit; a fresh node on the same database takes over.</summary>
public sealed class CrashDuringBatchCommitTests : EmulatorTest
{
    private const int Items = 40;

    [Fact]
    public async Task NodeKilledWhileItsBatchCommitIsHeld_FreshNodeArchivesEveryFileExactlyOnce()
    {
        const string name = "acme";
        var account = Emulator.AddAccount(name, "token-acme", AccountLimits.Unlimited);
        var hold = account.HoldBatchCommits();
        var scenario = new NodeScenario(Work, Emulator);
        var lease = new Dictionary<string, string?> { ["archiver:supervision:leaseduration"] = "00:00:02" };

        var crashed = new CrashableStore();
        var first = scenario.Build(
            new Dictionary<string, string?>(lease) { ["archiver:node:nodeid"] = "first" },
            services => crashed.Decorate(services));
        var store = first.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        await scenario.AddCustomerAsync(store, name, new DropboxCredentials(new Secret("token-acme")), Items);
        await first.StartAsync();
        await hold.Reached.WaitAsync(NodeScenario.Deadline);

        // The process dies: from here on it writes nothing, checkpoints nothing, hands nothing back.
        crashed.Crash();
        first.Dispose();
        hold.Release(); // Dropbox finishes the commit it accepted; nobody hears the answer.
        await Eventually.TrueAsync(() => Emulator.Files(name).Count > 0, "the held commit was applied", NodeScenario.Deadline);

        using var second = scenario.Build(new Dictionary<string, string?>(lease) { ["archiver:node:nodeid"] = "second" });
        var secondStore = second.Services.GetRequiredService<IArchiveStore>();
        await second.StartAsync();
        await NodeScenario.UntilArchivedAsync(secondStore, name, Items);
        await second.StopAsync();

        await scenario.AssertArchivedExactlyOnceAsync(secondStore, name, Items);
        Assert.True(Emulator.Stats(name).UnchangedUploads > 0, "no item committed by the dead node was sent again");
    }

    /// <summary>The node's store, made to refuse every call once the node has "died".</summary>
    private sealed class CrashableStore
    {
        private volatile bool _crashed;

        public void Crash() => _crashed = true;

        public void Decorate(IServiceCollection services)
        {
            var real = services.Last(d => d.ServiceType == typeof(IArchiveStore));
            services.Remove(real);
            services.AddSingleton<IArchiveStore>(sp => new Dead(this, (IArchiveStore)real.ImplementationFactory!(sp)));
        }

        private sealed class Dead(CrashableStore owner, IArchiveStore inner) : DelegatingArchiveStore(inner)
        {
            private bool Gone => owner._crashed;

            public override Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken) =>
                Gone ? Fail<IReadOnlyList<ArchiveItem>>() : base.ClaimAsync(lease, afterId, max, cancellationToken);

            public override Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken) =>
                Gone ? Fail<CheckpointResult>() : base.CheckpointAsync(lease, outcomes, cancellationToken);

            public override Task<int> ReleaseClaimsAsync(Lease lease, CancellationToken cancellationToken) =>
                Gone ? Fail<int>() : base.ReleaseClaimsAsync(lease, cancellationToken);

            public override Task<Lease?> AcquireLeaseAsync(
                CustomerId customer, string nodeId, TimeSpan duration, IReadOnlyCollection<string>? liveNodes, CancellationToken cancellationToken) =>
                Gone ? Fail<Lease?>() : base.AcquireLeaseAsync(customer, nodeId, duration, liveNodes, cancellationToken);

            public override Task<IReadOnlyList<Lease>> RenewLeasesAsync(IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken) =>
                Gone ? Fail<IReadOnlyList<Lease>>() : base.RenewLeasesAsync(leases, duration, cancellationToken);

            public override Task ReleaseLeaseAsync(Lease lease, CancellationToken cancellationToken) =>
                Gone ? Fail<bool>() : base.ReleaseLeaseAsync(lease, cancellationToken);

            public override Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken) =>
                Gone ? Fail<bool>() : base.AppendEventsAsync(events, cancellationToken);

            public override Task<bool> SetCustomerStateAsync(CustomerId id, CustomerState state, string reason, CancellationToken cancellationToken) =>
                Gone ? Fail<bool>() : base.SetCustomerStateAsync(id, state, reason, cancellationToken);

            public override Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken) =>
                Gone ? Fail<bool>() : base.HeartbeatAsync(heartbeat, cancellationToken);

            public override Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken) =>
                Gone ? Fail<bool>() : base.LeaveClusterAsync(nodeId, cancellationToken);

            private static Task<T> Fail<T>() => Task.FromException<T>(new IOException("The node's process is gone."));
        }
    }
}
