using Archiver.Core.Content;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Uploads;

namespace Archiver.Dropbox.Tests.Support;

/// <summary>Builds Core upload requests for one customer and one call recording.</summary>
public static class TestUploads
{
    public static readonly DateTimeOffset OccurredAt = new(2024, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static readonly DateTimeOffset CreatedAt = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CustomerId Acme = new("acme");

    public static UploadRequest Request(string? accessToken, string path, byte[] content) =>
        Request(accessToken, path, new MemoryStream(content), content.Length);

    public static UploadRequest Request(string? accessToken, string path, Stream content, long? length) =>
        Request(new DropboxCredentials(accessToken is null ? null : new Secret(accessToken)), path, content, length);

    public static UploadRequest Request(DropboxCredentials credentials, string path, Stream content, long? length)
    {
        var customer = new Customer(Acme, "Acme", CustomerState.Active, credentials, CustomerTuning.Default, CreatedAt);
        var item = new ArchiveItem(
            Id: 1,
            Customer: Acme,
            ExternalId: "call-1",
            Kind: ItemKind.CallRecording,
            Source: new Uri("file:///recordings/call-1.mp3"),
            Metadata: new ItemMetadata(OccurredAt, From: "+15550100", To: "+15550199"),
            Size: length,
            Attempts: 0,
            EnqueuedAt: CreatedAt);
        return new UploadRequest(customer, item, path, new ItemContent(content, length));
    }

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
