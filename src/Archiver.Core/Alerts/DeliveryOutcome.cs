namespace Archiver.Core.Alerts;

/// <summary>How one POST of an alert ended: accepted (2xx), or why not.</summary>
/// <param name="Status">The receiver's HTTP status, null when it never answered.</param>
public sealed record DeliveryOutcome(bool Delivered, int? Status, string Detail);
