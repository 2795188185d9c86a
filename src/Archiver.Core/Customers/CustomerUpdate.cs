namespace Archiver.Core.Customers;

/// <summary>
/// A change to a stored customer. Null members are left as they are; <see cref="Tuning"/>, when given, replaces the
/// stored tuning as a whole, and <see cref="Dropbox"/> replaces both tokens.
/// </summary>
public sealed record CustomerUpdate(string? Name = null, DropboxCredentials? Dropbox = null, CustomerTuning? Tuning = null);
