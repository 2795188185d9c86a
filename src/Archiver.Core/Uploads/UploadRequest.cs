using Archiver.Content;
using Archiver.Customers;
using Archiver.Items;

namespace Archiver.Uploads;

/// <summary>One item to upload: whose, what, where to, and its opened content.</summary>
public sealed record UploadRequest(Customer Customer, ArchiveItem Item, string Path, ItemContent Content);
