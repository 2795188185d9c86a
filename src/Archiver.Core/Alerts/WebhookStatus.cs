namespace Archiver.Core.Alerts;

/// <summary>One webhook's deliveries as this node saw them, for the node's status.</summary>
/// <param name="Cursor">The journal sequence delivered up to, when known.</param>
/// <param name="FailuresInARow">Failed deliveries since the last success.</param>
public sealed record WebhookStatus(
    string Webhook, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastFailure, int FailuresInARow, long? Cursor);
