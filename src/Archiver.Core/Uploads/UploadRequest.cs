using Archiver.Core.Content;
using Archiver.Core.Customers;
using Archiver.Core.Items;

namespace Archiver.Core.Uploads;

/// <summary>One item to upload: whose, what, where to, and its opened content.</summary>
public sealed record UploadRequest(Customer Customer, ArchiveItem Item, string Path, ItemContent Content);
