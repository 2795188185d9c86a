namespace Archiver.Core.Customers;

/// <summary>A company whose recordings, messages and faxes are archived into its Dropbox.</summary>
/// <param name="Id">The operator-chosen slug.</param>
/// <param name="Name">Display name.</param>
/// <param name="State">Whether its pipeline runs.</param>
/// <param name="Dropbox">How to reach its Dropbox.</param>
/// <param name="Tuning">Per-customer pipeline settings stored with the customer; unset values fall back to configuration.</param>
/// <param name="CreatedAt">When the customer was added.</param>
public sealed record Customer(
    CustomerId Id,
    string Name,
    CustomerState State,
    DropboxCredentials Dropbox,
    CustomerTuning Tuning,
    DateTimeOffset CreatedAt)
{
    /// <summary>Why the customer is in its <see cref="State"/> (the last state change's reason), when known.</summary>
    public string? StateReason { get; init; }
}
