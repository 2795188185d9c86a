using Archiver.Core.Cluster;
using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// What every <see cref="INodeRegistry"/> must do: heartbeats stamped by the store, nodes listed by id, leaving, and joining.
/// </summary>
public abstract class NodeRegistryContractTests(TestStores stores) : StoreContractTests(stores)
{
    private static readonly DateTimeOffset NodeStarted = Start.AddMinutes(-10);

    [Fact]
    public async Task Heartbeat_RegistersTheNodeStampedWithTheStoresClock()
    {
        var store = await NewStoreAsync();
        Time.Advance(TimeSpan.FromSeconds(3));

        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "http://10.0.0.1:8080", NodeStarted, 12.5), Ct);

        Assert.Equal(
            [new ClusterNode("node-a", "http://10.0.0.1:8080", NodeStarted, Start.AddSeconds(3), 12.5)],
            await store.ListNodesAsync(Ct));
    }

    [Fact]
    public async Task Heartbeat_Again_RefreshesTheSameRow()
    {
        var store = await NewStoreAsync();
        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "", NodeStarted, 0), Ct);
        Time.Advance(TimeSpan.FromSeconds(5));

        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "http://10.0.0.1:8080", NodeStarted, 40), Ct);

        var node = Assert.Single(await store.ListNodesAsync(Ct));
        Assert.Equal(new ClusterNode("node-a", "http://10.0.0.1:8080", NodeStarted, Start.AddSeconds(5), 40), node);
    }

    [Fact]
    public async Task ListNodes_ReturnsEveryRegisteredNodeById()
    {
        var store = await NewStoreAsync();
        await store.HeartbeatAsync(new NodeHeartbeat("node-c", "", NodeStarted, 0), Ct);
        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "", NodeStarted, 0), Ct);
        Time.Advance(TimeSpan.FromMinutes(5));
        await store.HeartbeatAsync(new NodeHeartbeat("node-b", "", NodeStarted, 0), Ct);

        var nodes = await store.ListNodesAsync(Ct);

        Assert.Equal(["node-a", "node-b", "node-c"], nodes.Select(n => n.NodeId));
        Assert.Equal([Start, Start.AddMinutes(5), Start], nodes.Select(n => n.LastHeartbeat));
    }

    [Fact]
    public async Task LeaveCluster_RemovesOnlyThatNode()
    {
        var store = await NewStoreAsync();
        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "", NodeStarted, 0), Ct);
        await store.HeartbeatAsync(new NodeHeartbeat("node-b", "", NodeStarted, 0), Ct);

        await store.LeaveClusterAsync("node-a", Ct);
        await store.LeaveClusterAsync("node-unknown", Ct);

        Assert.Equal(["node-b"], (await store.ListNodesAsync(Ct)).Select(n => n.NodeId));
    }

    [Fact]
    public async Task ListNodes_WithNoneRegistered_IsEmpty()
    {
        var store = await NewStoreAsync();

        Assert.Empty(await store.ListNodesAsync(Ct));
    }

    [Fact]
    public async Task Heartbeat_WithAClusterAddress_ListsIt_AndTheNextHeartbeatReplacesIt()
    {
        var store = await NewStoreAsync();
        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "", NodeStarted, 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.1:41234" }, Ct);
        var first = Assert.Single(await store.ListNodesAsync(Ct)).ClusterAddress;

        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "", NodeStarted, 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.1:41999" }, Ct);

        Assert.Equal("akka.tcp://archiver@10.0.0.1:41234", first);
        Assert.Equal("akka.tcp://archiver@10.0.0.1:41999", Assert.Single(await store.ListNodesAsync(Ct)).ClusterAddress);
    }

    [Fact]
    public async Task Heartbeat_WithoutAClusterAddress_ListsAnEmptyOne()
    {
        var store = await NewStoreAsync();

        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "http://10.0.0.1:8080", NodeStarted, 0), Ct);

        Assert.Equal("", Assert.Single(await store.ListNodesAsync(Ct)).ClusterAddress);
    }

    [Fact]
    public async Task JoinCluster_RegistersTheNode_AndReturnsItselfAndEveryOtherNodeById()
    {
        var store = await NewStoreAsync();
        await store.HeartbeatAsync(new NodeHeartbeat("node-c", "", NodeStarted, 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.3:4053" }, Ct);
        await store.HeartbeatAsync(new NodeHeartbeat("node-a", "", NodeStarted, 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.1:4053" }, Ct);
        Time.Advance(TimeSpan.FromSeconds(4));

        var joined = await store.JoinClusterAsync(
            new NodeHeartbeat("node-b", "http://10.0.0.2:8080", NodeStarted, 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.2:4053" }, Ct);

        Assert.Equal(["node-a", "node-b", "node-c"], joined.Select(n => n.NodeId));
        Assert.Equal(
            new ClusterNode("node-b", "http://10.0.0.2:8080", NodeStarted, Start.AddSeconds(4), 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.2:4053" },
            joined[1]);
        Assert.Equal("akka.tcp://archiver@10.0.0.3:4053", joined[2].ClusterAddress);
        Assert.Equal(joined, await store.ListNodesAsync(Ct));
    }

    [Fact]
    public async Task JoinCluster_AsTheFirstNode_ReturnsOnlyItself()
    {
        var store = await NewStoreAsync();

        var joined = await store.JoinClusterAsync(new NodeHeartbeat("node-a", "", NodeStarted, 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.1:4053" }, Ct);

        Assert.Equal(["node-a"], joined.Select(n => n.NodeId));
    }

    [Fact]
    public async Task JoinCluster_AgainAfterARestart_RefreshesItsOwnRow()
    {
        var store = await NewStoreAsync();
        await store.JoinClusterAsync(new NodeHeartbeat("node-a", "", NodeStarted, 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.1:4053" }, Ct);
        Time.Advance(TimeSpan.FromMinutes(1));

        var joined = await store.JoinClusterAsync(new NodeHeartbeat("node-a", "", Start, 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.1:4054" }, Ct);

        var node = Assert.Single(joined);
        Assert.Equal(new ClusterNode("node-a", "", Start, Start.AddMinutes(1), 0) { ClusterAddress = "akka.tcp://archiver@10.0.0.1:4054" }, node);
    }
}

/// <summary>The node registry contract against SQLite.</summary>
public sealed class SqliteNodeRegistryTests() : NodeRegistryContractTests(new SqliteTestStores());

/// <summary>The node registry contract against PostgreSQL.</summary>
public sealed class PostgresNodeRegistryTests() : NodeRegistryContractTests(new PostgresTestStores());
