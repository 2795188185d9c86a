namespace Archiver.Core.Customers;

/// <summary>What an operator supplies to connect a customer.</summary>
public sealed record NewCustomer(CustomerId Id, string Name, DropboxCredentials Dropbox, CustomerTuning? Tuning = null);
