using Archiver.Core.Alerts;
using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Core.Tests.Alerts;

public sealed class AlertPlannerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private static readonly HashSet<string> Everything = [.. AlertKinds.All];
    private static readonly CustomerId Acme = new("acme");
    private static readonly CustomerId Bolt = new("bolt");

    [Theory]
    [InlineData("active -> needs_reauth: invalid_access_token", AlertKinds.CustomerParked)]
    [InlineData("active -> storage_full: insufficient_space", AlertKinds.CustomerParked)]
    [InlineData("paused -> needs_reauth: refused", AlertKinds.CustomerParked)]
    [InlineData("needs_reauth -> active: reauthorized", AlertKinds.CustomerResumed)]
    [InlineData("storage_full -> active: space freed", AlertKinds.CustomerResumed)]
    [InlineData("active -> paused: operator", null)]
    [InlineData("paused -> active: operator", null)]
    [InlineData("needs_reauth -> storage_full: now full", null)]
    public void StateChanges_MapToParkedAndResumed_AndNothingElse(string details, string? kind) =>
        Assert.Equal(kind, AlertPlanner.KindOf(new ArchiveEvent(1, Start, Acme, null, EventTypes.CustomerStateChanged, details)));

    [Fact]
    public void FailedItems_OfEachCustomer_BecomeOneAlertWithTheirCount_OnceTheWindowClosed()
    {
        var events = Failures(Acme, 1, 300).Concat(Failures(Bolt, 301, 5)).ToList();

        var plan = AlertPlanner.Plan(events, Everything, 0, Interval, Start + Interval);

        Assert.Equal([(Acme, 300), (Bolt, 5)], plan.Alerts.Select(a => (a.Customer!.Value, a.Count)));
        Assert.Equal(305, plan.Through);
        Assert.Null(plan.WaitUntil);
    }

    [Fact]
    public void FailedItems_WhileTheWindowIsOpen_WaitForIt_AndWhatCameBeforeGoesAtOnce()
    {
        var parked = new ArchiveEvent(1, Start, Bolt, null, EventTypes.CustomerStateChanged, "active -> needs_reauth: revoked");
        var events = new[] { parked }.Concat(Failures(Acme, 2, 10)).ToList();

        var plan = AlertPlanner.Plan(events, Everything, 0, Interval, Start.AddSeconds(30));

        Assert.Equal(AlertKinds.CustomerParked, Assert.Single(plan.Alerts).Kind);
        Assert.Equal(1, plan.Through);
        Assert.Equal(Start + Interval, plan.WaitUntil);
    }

    [Fact]
    public void FailedItems_AfterTheWindow_OpenTheNextOne()
    {
        var events = Failures(Acme, 1, 3).Append(new ArchiveEvent(4, Start + Interval, Acme, 4, EventTypes.ItemFailed, "late")).ToList();

        var plan = AlertPlanner.Plan(events, Everything, 0, Interval, Start.AddHours(1));

        Assert.Equal(3, Assert.Single(plan.Alerts).Count);
        Assert.Equal(3, plan.Through);
    }

    [Fact]
    public void KindsNotSubscribed_AreSkipped_AndTheCursorMovesPastThem()
    {
        var events = Failures(Acme, 1, 3).Append(new ArchiveEvent(4, Start, Acme, null, EventTypes.CustomerStateChanged, "active -> storage_full: full")).ToList();

        var plan = AlertPlanner.Plan(events, new HashSet<string> { AlertKinds.CustomerParked }, 0, Interval, Start);

        Assert.Equal(AlertKinds.CustomerParked, Assert.Single(plan.Alerts).Kind);
        Assert.Equal(4, plan.Through);
    }

    private static IEnumerable<ArchiveEvent> Failures(CustomerId customer, long from, int count) =>
        Enumerable.Range(0, count).Select(i => new ArchiveEvent(from + i, Start.AddMilliseconds(i), customer, 1000 + from + i, EventTypes.ItemFailed, "not found"));
}
