using System.Globalization;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using Archiver.Core.Customers;
using Archiver.Core.Supervision;

namespace Archiver.Core.Control;

/// <summary>
/// Writes a customer's control events and snapshots, and the messages other nodes send a customer's actor, as small
/// JSON documents under stable manifests — never a CLR type name — so renaming or moving a class cannot break recovery,
/// and nodes of neighbouring versions understand each other. Each manifest ends in its format's version; a new format
/// gets a new manifest and this serializer keeps reading the old ones.
/// <list type="table">
/// <item><term><c>lifecycle-changed.v1</c></term><description><see cref="LifecycleChanged"/>: <c>{"state":"paused","reason":"…"}</c></description></item>
/// <item><term><c>rate-learned.v1</c></term><description><see cref="RateLearned"/>: <c>{"rate":12.5}</c></description></item>
/// <item><term><c>control-state.v1</c></term><description><see cref="CustomerControlState"/> (a snapshot): <c>{"state":"active","reason":null,"rate":12.5}</c></description></item>
/// <item><term><c>lifecycle-command.v1</c></term><description><see cref="LifecycleCommand"/>: <c>{"customer":"acme","state":"paused","reason":"…"}</c></description></item>
/// <item><term><c>lifecycle-command-done.v1</c></term><description><see cref="LifecycleCommandDone"/>: <c>{"recorded":true}</c></description></item>
/// <item><term><c>customer-record-changed.v1</c></term><description><see cref="CustomerRecordChanged"/>: <c>{}</c></description></item>
/// <item><term><c>customer-stop-requested.v1</c></term><description><see cref="CustomerStopRequested"/>: <c>{}</c></description></item>
/// </list>
/// States are written as the store writes them (<c>active</c>, <c>paused</c>, <c>needs_reauth</c>, <c>storage_full</c>).
/// </summary>
public sealed class CustomerControlSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer's id in the journal's rows: never to change.</summary>
    public const int Id = 7401;

    public const string LifecycleChangedManifest = "lifecycle-changed.v1";
    public const string RateLearnedManifest = "rate-learned.v1";
    public const string ControlStateManifest = "control-state.v1";
    public const string LifecycleCommandManifest = "lifecycle-command.v1";
    public const string LifecycleCommandDoneManifest = "lifecycle-command-done.v1";
    public const string RecordChangedManifest = "customer-record-changed.v1";
    public const string StopRequestedManifest = "customer-stop-requested.v1";

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        LifecycleChanged => LifecycleChangedManifest,
        RateLearned => RateLearnedManifest,
        CustomerControlState => ControlStateManifest,
        LifecycleCommand => LifecycleCommandManifest,
        LifecycleCommandDone => LifecycleCommandDoneManifest,
        CustomerRecordChanged => RecordChangedManifest,
        CustomerStopRequested => StopRequestedManifest,
        _ => throw new ArgumentException($"{o.GetType().Name} is not a customer control event, snapshot or message.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            switch (obj)
            {
                case LifecycleChanged changed:
                    json.WriteString("state", StateText(changed.State));
                    json.WriteString("reason", changed.Reason);
                    break;
                case RateLearned learned:
                    json.WriteNumber("rate", learned.RatePerSecond);
                    break;
                case CustomerControlState state:
                    json.WriteString("state", StateText(state.Lifecycle));
                    WriteOptional(json, "reason", state.Reason);
                    if (state.LearnedRate is { } rate)
                    {
                        json.WriteNumber("rate", rate);
                    }
                    else
                    {
                        json.WriteNull("rate");
                    }

                    break;
                case LifecycleCommand command:
                    json.WriteString("customer", command.Customer.Value);
                    json.WriteString("state", StateText(command.State));
                    json.WriteString("reason", command.Reason);
                    break;
                case LifecycleCommandDone done:
                    json.WriteBoolean("recorded", done.Recorded);
                    break;
                case CustomerRecordChanged or CustomerStopRequested:
                    break;
                default:
                    throw new ArgumentException($"{obj.GetType().Name} is not a customer control event, snapshot or message.", nameof(obj));
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        return manifest switch
        {
            LifecycleChangedManifest => new LifecycleChanged(StateOf(root), root.GetProperty("reason").GetString() ?? ""),
            RateLearnedManifest => new RateLearned(root.GetProperty("rate").GetDouble()),
            ControlStateManifest => new CustomerControlState(
                StateOf(root),
                root.GetProperty("reason").GetString(),
                root.GetProperty("rate").ValueKind == JsonValueKind.Null ? null : root.GetProperty("rate").GetDouble()),
            LifecycleCommandManifest => new LifecycleCommand(
                new CustomerId(root.GetProperty("customer").GetString() ?? ""), StateOf(root), root.GetProperty("reason").GetString() ?? ""),
            LifecycleCommandDoneManifest => new LifecycleCommandDone(root.GetProperty("recorded").GetBoolean()),
            RecordChangedManifest => CustomerRecordChanged.Instance,
            StopRequestedManifest => CustomerStopRequested.Instance,
            _ => throw new SerializationException($"Unknown customer control manifest '{manifest}'."),
        };
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string StateText(CustomerState state) => state switch
    {
        CustomerState.Active => "active",
        CustomerState.Paused => "paused",
        CustomerState.NeedsReauth => "needs_reauth",
        CustomerState.StorageFull => "storage_full",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    private static CustomerState StateOf(JsonElement root) => root.GetProperty("state").GetString() switch
    {
        "active" => CustomerState.Active,
        "paused" => CustomerState.Paused,
        "needs_reauth" => CustomerState.NeedsReauth,
        "storage_full" => CustomerState.StorageFull,
        var other => throw new SerializationException(string.Create(CultureInfo.InvariantCulture, $"Unknown customer state '{other}'.")),
    };
}
