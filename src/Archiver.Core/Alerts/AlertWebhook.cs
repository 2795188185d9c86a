using Archiver.Core.Customers;

namespace Archiver.Core.Alerts;

/// <summary>Where alerts of the kinds in <paramref name="Events"/> are POSTed, signed with <paramref name="Secret"/>.</summary>
/// <param name="Name">How the webhook is shown, logged and keyed in the store: its URL with any credentials masked.</param>
public sealed record AlertWebhook(string Name, Uri Url, IReadOnlySet<string> Events, Secret Secret);
