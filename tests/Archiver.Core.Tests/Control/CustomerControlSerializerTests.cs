using System.Text;
using Akka.Serialization;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Supervision;

namespace Archiver.Core.Tests.Control;

public sealed class CustomerControlSerializerTests() : Akka.TestKit.Xunit2.TestKit(ControlPersistence.InMemory)
{
    public static TheoryData<object, string> EveryEventAndSnapshot => new()
    {
        { new LifecycleChanged(CustomerState.Paused, "paused by an operator"), "lifecycle-changed.v1" },
        { new LifecycleChanged(CustomerState.Active, "resumed by an operator"), "lifecycle-changed.v1" },
        { new LifecycleChanged(CustomerState.NeedsReauth, "invalid_access_token"), "lifecycle-changed.v1" },
        { new LifecycleChanged(CustomerState.StorageFull, "insufficient_space \"quoted\" ünïcode"), "lifecycle-changed.v1" },
        { new RateLearned(7.3125), "rate-learned.v1" },
        { new CustomerControlState(CustomerState.Paused, "paused by an operator", 12.5), "control-state.v1" },
        { new CustomerControlState(CustomerState.Active, null, null), "control-state.v1" },
        { new LifecycleCommand(new CustomerId("acme-corp"), CustomerState.Paused, "paused by an operator"), "lifecycle-command.v1" },
        { new LifecycleCommandDone(Recorded: true), "lifecycle-command-done.v1" },
        { new LifecycleCommandDone(Recorded: false), "lifecycle-command-done.v1" },
        { CustomerRecordChanged.Instance, "customer-record-changed.v1" },
        { CustomerStopRequested.Instance, "customer-stop-requested.v1" },
    };

    [Theory]
    [MemberData(nameof(EveryEventAndSnapshot))]
    public void EveryEventAndSnapshot_IsBoundToTheControlSerializer_AndRoundTripsUnderItsStableManifest(object value, string manifest)
    {
        var serializer = Assert.IsType<CustomerControlSerializer>(Sys.Serialization.FindSerializerFor(value));

        var bytes = serializer.ToBinary(value);

        Assert.Equal(7401, serializer.Identifier);
        Assert.Equal(manifest, Serialization.ManifestFor(serializer, value));
        Assert.Equal(value, serializer.FromBinary(bytes, manifest));
    }

    [Theory]
    [MemberData(nameof(EveryEventAndSnapshot))]
    public void StoredRows_NameNoClrType(object value, string manifest)
    {
        var json = Encoding.UTF8.GetString(new CustomerControlSerializer((Akka.Actor.ExtendedActorSystem)Sys).ToBinary(value));

        Assert.DoesNotContain("Archiver", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Archiver", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsWrittenByThisVersion_AreReadBack_FromTheirDocumentedJson()
    {
        var serializer = new CustomerControlSerializer((Akka.Actor.ExtendedActorSystem)Sys);

        Assert.Equal(
            new LifecycleChanged(CustomerState.NeedsReauth, "token revoked"),
            serializer.FromBinary("""{"state":"needs_reauth","reason":"token revoked"}"""u8.ToArray(), "lifecycle-changed.v1"));
        Assert.Equal(new RateLearned(9.5), serializer.FromBinary("""{"rate":9.5}"""u8.ToArray(), "rate-learned.v1"));
        Assert.Equal(
            new CustomerControlState(CustomerState.Paused, "paused by an operator", null),
            serializer.FromBinary("""{"state":"paused","reason":"paused by an operator","rate":null}"""u8.ToArray(), "control-state.v1"));
    }

    [Fact]
    public void UnknownManifest_IsRefused()
    {
        var serializer = new CustomerControlSerializer((Akka.Actor.ExtendedActorSystem)Sys);

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "Archiver.Core.Control.RateLearned"));
    }
}
