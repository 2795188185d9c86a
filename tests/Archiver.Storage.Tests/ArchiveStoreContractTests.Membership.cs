using Archiver.Cluster;

namespace Archiver.Storage.Tests;

public abstract partial class ArchiveStoreContractTests
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
}
