using Archiver.Cluster;

namespace Archiver.Core.Tests.Cluster;

public sealed class RendezvousTests
{
    private static readonly string[] Customers = Enumerable.Range(0, 3_000).Select(i => $"customer-{i}").ToArray();

    [Fact]
    public void EveryNode_ComputesTheSameOwner_WhateverOrderItListsTheNodesIn()
    {
        string[] nodes = ["node-a", "node-b", "node-c"];
        string[] reversed = [.. nodes.Reverse()];

        Assert.All(Customers, c => Assert.Equal(Rendezvous.Owner(c, nodes), Rendezvous.Owner(c, reversed)));
    }

    [Fact]
    public void Customers_SpreadEvenlyOverTheNodes()
    {
        string[] nodes = ["node-a", "node-b", "node-c"];

        var perNode = Customers.GroupBy(c => Rendezvous.Owner(c, nodes)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(3, perNode.Count);
        Assert.All(perNode.Values, count => Assert.InRange(count, 850, 1150)); // 1,000 each, give or take 15 %
    }

    [Fact]
    public void WhenANodeLeaves_OnlyItsCustomersMove()
    {
        string[] before = ["node-a", "node-b", "node-c"];
        string[] after = ["node-a", "node-c"];

        foreach (var customer in Customers)
        {
            var owner = Rendezvous.Owner(customer, before);
            if (owner != "node-b")
            {
                Assert.Equal(owner, Rendezvous.Owner(customer, after));
            }
        }
    }

    [Fact]
    public void WhenANodeJoins_ItTakesCustomersOnlyFromTheOthers_AndAboutItsShare()
    {
        string[] before = ["node-a", "node-b"];
        string[] after = ["node-a", "node-b", "node-c"];

        var moved = Customers.Where(c => Rendezvous.Owner(c, before) != Rendezvous.Owner(c, after)).ToArray();

        Assert.All(moved, c => Assert.Equal("node-c", Rendezvous.Owner(c, after)));
        Assert.InRange(moved.Length, 850, 1150);
    }

    [Fact]
    public void NoNodes_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Rendezvous.Owner("customer", []));
}
