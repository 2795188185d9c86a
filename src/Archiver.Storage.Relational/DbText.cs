using Archiver.Core.Customers;
using Archiver.Core.Items;

namespace Archiver.Storage.Relational;

/// <summary>
/// How enums are spelled in the database: lowercase snake-case. These spellings are data at rest, so they never change
/// when a C# member is renamed. Unknown text read back is corrupt or newer data, and fails loudly. Every store reads
/// and writes these same spellings.
/// </summary>
internal static class DbText
{
    public static string Of(ItemKind kind) => kind switch
    {
        ItemKind.CallRecording => "call_recording",
        ItemKind.Sms => "sms",
        ItemKind.Fax => "fax",
        ItemKind.Voicemail => "voicemail",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown item kind."),
    };

    public static ItemKind ToItemKind(string text) => text switch
    {
        "call_recording" => ItemKind.CallRecording,
        "sms" => ItemKind.Sms,
        "fax" => ItemKind.Fax,
        "voicemail" => ItemKind.Voicemail,
        _ => throw Unknown("items.kind", text),
    };

    public static string Of(ItemStatus status) => status switch
    {
        ItemStatus.Pending => "pending",
        ItemStatus.InFlight => "in_flight",
        ItemStatus.Archived => "archived",
        ItemStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown item status."),
    };

    public static ItemStatus ToItemStatus(string text) => text switch
    {
        "pending" => ItemStatus.Pending,
        "in_flight" => ItemStatus.InFlight,
        "archived" => ItemStatus.Archived,
        "failed" => ItemStatus.Failed,
        _ => throw Unknown("items.status", text),
    };

    public static string Of(CustomerState state) => state switch
    {
        CustomerState.Active => "active",
        CustomerState.Paused => "paused",
        CustomerState.NeedsReauth => "needs_reauth",
        CustomerState.StorageFull => "storage_full",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown customer state."),
    };

    public static CustomerState ToCustomerState(string text) => text switch
    {
        "active" => CustomerState.Active,
        "paused" => CustomerState.Paused,
        "needs_reauth" => CustomerState.NeedsReauth,
        "storage_full" => CustomerState.StorageFull,
        _ => throw Unknown("customers.state", text),
    };

    public static string Of(ConflictPolicy policy) => policy switch
    {
        ConflictPolicy.Fail => "fail",
        ConflictPolicy.Autorename => "autorename",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown conflict policy."),
    };

    public static ConflictPolicy ToConflictPolicy(string text) => text switch
    {
        "fail" => ConflictPolicy.Fail,
        "autorename" => ConflictPolicy.Autorename,
        _ => throw Unknown("customers.conflict_policy", text),
    };

    private static InvalidDataException Unknown(string column, string text) =>
        new($"Column {column} holds '{text}', which this version of Archiver does not know.");
}
