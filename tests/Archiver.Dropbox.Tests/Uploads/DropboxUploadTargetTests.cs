using System.Net;
using System.Text;
using Archiver.Core.Content;
using Archiver.Core.Customers;
using Archiver.Core.Uploads;
using Archiver.Dropbox.Batching;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Uploads;

public sealed class DropboxUploadTargetTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Path = "/Calls/2024-03-14/call-1.mp3";
    private static readonly byte[] Recording = TestUploads.Bytes("a call recording");
    private static readonly byte[] OtherRecording = TestUploads.Bytes("another recording");

    private DropboxUploadTarget Target => new(fixture.Client, TimeProvider.System);

    [Fact]
    public async Task Upload_NewItem_IsUploadedAsTheFileDropboxHolds()
    {
        var account = fixture.NewAccount();

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);

        var file = Assert.IsType<UploadResult.Uploaded>(result).File;
        var stored = Assert.Single(account.Files());
        Assert.Equal(stored.Id, file.DropboxId);
        Assert.Equal(stored.Rev, file.Rev);
        Assert.Equal(Path, file.Path);
        Assert.Equal(DropboxContentHasher.Compute(Recording), file.ContentHash);
        Assert.Equal(Recording.Length, file.Size);
        Assert.Equal(TestUploads.OccurredAt, stored.ClientModified);
    }

    [Fact]
    public async Task Upload_IdenticalContentTwice_IsUploadedBothTimesWithTheSameRev()
    {
        var account = fixture.NewAccount();

        var first = await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);
        var second = await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);

        Assert.Equal(Assert.IsType<UploadResult.Uploaded>(first).File, Assert.IsType<UploadResult.Uploaded>(second).File);
        Assert.Equal(2, Assert.Single(account.Files()).UploadCount);
    }

    [Fact]
    public async Task Upload_OfContentUnknownInLength_IsUploaded()
    {
        var account = fixture.NewAccount();
        var request = TestUploads.Request(account.AccessToken, Path, new GeneratedStream(100_000, seed: 1), length: null);

        var result = await Target.UploadAsync(request, CancellationToken.None);

        Assert.Equal(100_000, Assert.IsType<UploadResult.Uploaded>(result).File.Size);
    }

    [Fact]
    public async Task Upload_DifferentContentAtThePath_IsAPermanentConflict()
    {
        var account = fixture.NewAccount();
        await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, OtherRecording), CancellationToken.None);

        Assert.Equal($"A different file already exists at {Path}.", Assert.IsType<UploadResult.Permanent>(result).Reason);
    }

    [Fact]
    public async Task Upload_BeyondTheAccountsRate_IsRateLimited()
    {
        var account = fixture.NewAccount(new AccountLimits(RatePerSecond: 0.5, Burst: 1));
        await Target.UploadAsync(TestUploads.Request(account.AccessToken, "/a.mp3", Recording), CancellationToken.None);

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, "/b.mp3", Recording), CancellationToken.None);

        var limited = Assert.IsType<UploadResult.RateLimited>(result);
        Assert.True(limited.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Contains("too many requests", limited.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ToAnAccountRejectingAllWrites_IsRateLimited()
    {
        var account = fixture.NewAccount(new AccountLimits(RejectAllWrites: true, RetryAfter: TimeSpan.FromSeconds(5)));

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(5), Assert.IsType<UploadResult.RateLimited>(result).RetryAfter);
    }

    [Theory]
    [InlineData(true, WriteContentionShape.RateLimit429)]
    [InlineData(true, WriteContentionShape.Conflict409)]
    [InlineData(true, WriteContentionShape.EntryFailure)]
    [InlineData(false, WriteContentionShape.RateLimit429)]
    [InlineData(false, WriteContentionShape.Conflict409)]
    public async Task Upload_DuringWriteContention_IsCommittedAgainAfterABackoff_NeverRateLimited(
        bool batched, WriteContentionShape shape)
    {
        var account = fixture.NewAccount();
        account.ContendNextWrites(1, shape);
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System, batching: new BatchCommitOptions { Enabled = batched });

        var result = await target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);

        Assert.IsType<UploadResult.Uploaded>(result);
        Assert.Equal(1, account.Stats().ContendedWrites);
        Assert.Equal(1, Assert.Single(account.Files()).UploadCount);
    }

    [Fact]
    public async Task Upload_WithAnUnknownToken_BlocksTheCustomerUntilReauthorized()
    {
        var result = await Target.UploadAsync(TestUploads.Request("revoked-token", Path, Recording), CancellationToken.None);

        Assert.Equal(CustomerState.NeedsReauth, Assert.IsType<UploadResult.CustomerBlocked>(result).State);
    }

    [Fact]
    public async Task Upload_WithAnExpiredToken_BlocksTheCustomerUntilReauthorized()
    {
        var account = fixture.NewAccount();
        account.ExpireAccessToken();

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);

        var blocked = Assert.IsType<UploadResult.CustomerBlocked>(result);
        Assert.Equal(CustomerState.NeedsReauth, blocked.State);
        Assert.Contains("expired", blocked.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ForACustomerWithoutAToken_BlocksTheCustomerUntilReauthorized()
    {
        var result = await Target.UploadAsync(TestUploads.Request(accessToken: null, Path, Recording), CancellationToken.None);

        Assert.Equal(CustomerState.NeedsReauth, Assert.IsType<UploadResult.CustomerBlocked>(result).State);
    }

    [Fact]
    public async Task Upload_IntoAFullDropbox_BlocksTheCustomerAsStorageFull()
    {
        var account = fixture.NewAccount(new AccountLimits(QuotaBytes: 10));

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);

        Assert.Equal(CustomerState.StorageFull, Assert.IsType<UploadResult.CustomerBlocked>(result).State);
    }

    [Theory]
    [InlineData("/Calls/")]
    [InlineData("/Calls/thumbs.db")]
    public async Task Upload_ToAPathDropboxRefuses_IsPermanent(string path)
    {
        var account = fixture.NewAccount();

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, path, Recording), CancellationToken.None);

        Assert.Contains(path, Assert.IsType<UploadResult.Permanent>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ToARelativePath_IsPermanentWithDropboxsExplanation()
    {
        var account = fixture.NewAccount();

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, "Calls/x.mp3", Recording), CancellationToken.None);

        Assert.Contains("did not match pattern", Assert.IsType<UploadResult.Permanent>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_DuringAServerError_IsTransient()
    {
        var account = fixture.NewAccount();
        account.FailNextRequests(1, statusCode: 500);

        var result = await Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), CancellationToken.None);

        Assert.IsType<UploadResult.Transient>(result);
    }

    [Fact]
    public async Task Upload_WhenDropboxCannotBeReached_IsTransient()
    {
        var unreachable = new Uri("http://127.0.0.1:1/");
        var client = new DropboxClient(fixture.Http, new DropboxClientOptions { ApiBaseUri = unreachable, ContentBaseUri = unreachable });
        var target = new DropboxUploadTarget(client, TimeProvider.System);

        var result = await target.UploadAsync(TestUploads.Request("token", Path, Recording), CancellationToken.None);

        Assert.IsType<UploadResult.Transient>(result);
    }

    [Fact]
    public async Task Upload_WhoseStoredHashDiffersFromTheSentBytes_IsTransientAndNotArchived()
    {
        const string answer = """
            {"name":"call-1.mp3","path_lower":"/calls/call-1.mp3","path_display":"/Calls/call-1.mp3","id":"id:a4ayc_80_OEAAAAAAAAAXw",
             "client_modified":"2024-03-14T09:26:53Z","server_modified":"2024-03-14T09:27:00Z","rev":"a1c10ce0dd78","size":16,
             "content_hash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","future_field":{"x":1}}
            """;
        using var http = new HttpClient(new CannedResponseHandler(
            () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer, Encoding.UTF8, "application/json") }));
        var target = new DropboxUploadTarget(
            new DropboxClient(http, new DropboxClientOptions()), TimeProvider.System, batching: new BatchCommitOptions { Enabled = false });

        var result = await target.UploadAsync(TestUploads.Request("token", Path, Recording), CancellationToken.None);

        Assert.StartsWith("content hash mismatch", Assert.IsType<UploadResult.Transient>(result).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_WhoseContentFailsMidStream_FollowsTheContentSourcesVerdict(bool isPermanent)
    {
        var account = fixture.NewAccount();
        var failure = new ContentUnavailableException("the recording vanished", isPermanent);
        var request = TestUploads.Request(account.AccessToken, Path, new FailingStream(1000, failure), length: 5000);

        var result = await Target.UploadAsync(request, CancellationToken.None);

        var reason = isPermanent
            ? Assert.IsType<UploadResult.Permanent>(result).Reason
            : Assert.IsType<UploadResult.Transient>(result).Reason;
        Assert.Equal("the recording vanished", reason);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Upload_CancelledByTheCaller_Throws()
    {
        var account = fixture.NewAccount();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Target.UploadAsync(TestUploads.Request(account.AccessToken, Path, Recording), cancelled.Token));
    }
}
