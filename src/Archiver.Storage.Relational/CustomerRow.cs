using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Security;

namespace Archiver.Storage.Relational;

/// <summary>Reads a <see cref="Customer"/> from a row selected with <see cref="Columns"/>.</summary>
internal static class CustomerRow
{
    public const string Columns =
        "id, name, state, access_token_protected, refresh_token_protected, rate_per_second, burst, parallelism, path_template, created_at, conflict_policy, state_reason";

    public static Customer Read(DbDataReader row, ITokenProtector tokenProtector) => new(
        new CustomerId(row.GetString(0)),
        row.GetString(1),
        DbText.ToCustomerState(row.GetString(2)),
        new DropboxCredentials(
            Unprotect(row.GetStringOrNull(3), tokenProtector),
            Unprotect(row.GetStringOrNull(4), tokenProtector)),
        new CustomerTuning(
            row.GetDoubleOrNull(5),
            row.GetInt32OrNull(6),
            row.GetInt32OrNull(7),
            row.GetStringOrNull(8),
            row.GetStringOrNull(10) is { } policy ? DbText.ToConflictPolicy(policy) : null),
        UnixMs.ToTime(row.GetInt64(9)))
    {
        StateReason = row.GetStringOrNull(11),
    };

    private static Secret? Unprotect(string? protectedValue, ITokenProtector tokenProtector) =>
        protectedValue is null ? null : new Secret(tokenProtector.Unprotect(protectedValue));
}
