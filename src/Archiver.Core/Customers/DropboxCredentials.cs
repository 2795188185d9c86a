namespace Archiver.Core.Customers;

/// <summary>
/// A customer's Dropbox authorization. Stores encrypt these at rest; in memory they stay <see cref="Secret"/>s.
/// </summary>
/// <param name="AccessToken">A bearer token, when the customer was connected with one.</param>
/// <param name="RefreshToken">An offline refresh token, from which short-lived access tokens are obtained.</param>
public sealed record DropboxCredentials(Secret? AccessToken, Secret? RefreshToken = null);
