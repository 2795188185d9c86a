using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Uploads;

public sealed class UploadSessionExpiryTests(OAuthEmulatorFixture fixture) : IClassFixture<OAuthEmulatorFixture>
{
    [Fact]
    public async Task Session_SevenDaysAfterItStarted_IsNotFound()
    {
        var account = fixture.NewAccount();
        var id = await fixture.Client.UploadSessionStartAsync(account.AccessToken);
        await fixture.Client.UploadSessionAppendAsync(account.AccessToken, id, 0, new MemoryStream(new byte[3]), 3, close: false);

        fixture.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        await fixture.Client.UploadSessionAppendAsync(account.AccessToken, id, 3, new MemoryStream(new byte[3]), 3, close: false);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<DropboxUploadSessionException>(
            () => fixture.Client.UploadSessionFinishAsync(account.AccessToken, id, 6, new CommitInfo("/late.bin")));

        Assert.Equal(UploadSessionErrorKind.NotFound, e.Kind);
        Assert.Empty(account.Files());
    }
}
