using System.Net;
using System.Text;
using Archiver.Core.Customers;
using Archiver.Core.Uploads;
using Archiver.Dropbox.Batching;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Tests.Support;
using Archiver.Testing;

namespace Archiver.Dropbox.Tests.Uploads;

/// <summary>The upload target's per-customer batch commits against the emulator.</summary>
public sealed class BatchCommitTargetTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task UploadsFinishingWhileACommitIsInFlight_GoInTheNextBatch_EachAnsweredWithItsOwnFile()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System);
        var hold = account.HoldBatchCommits();
        var first = target.UploadAsync(Request(account, 0), CancellationToken.None);
        await hold.Reached;

        var others = Enumerable.Range(1, 9).Select(i => target.UploadAsync(Request(account, i), CancellationToken.None)).ToList();
        await Eventually.TrueAsync(() => account.Stats().Requests == 11, "every upload's content is in a closed session");
        hold.Release();
        var results = await Task.WhenAll(others.Prepend(first));

        for (var i = 0; i < results.Length; i++)
        {
            var file = Assert.IsType<UploadResult.Uploaded>(results[i]).File;
            Assert.Equal($"/batch/{i}.txt", file.Path);
            Assert.Equal(ReferenceContentHash.Of(Content(i)), file.ContentHash);
        }

        var stats = account.Stats();
        Assert.Equal(2, stats.BatchCommits);
        Assert.Equal(9, stats.LargestBatch);
        Assert.Equal(10, account.Files().Count);
    }

    [Fact]
    public async Task BatchCommits_NeverCarryMoreThanMaxEntries()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System, batching: new BatchCommitOptions { MaxEntries = 3 });
        var hold = account.HoldBatchCommits();
        var first = target.UploadAsync(Request(account, 0), CancellationToken.None);
        await hold.Reached;
        var others = Enumerable.Range(1, 7).Select(i => target.UploadAsync(Request(account, i), CancellationToken.None)).ToList();
        await Eventually.TrueAsync(() => account.Stats().Requests == 9, "every upload's content is in a closed session");
        hold.Release();

        Assert.All(await Task.WhenAll(others.Prepend(first)), r => Assert.IsType<UploadResult.Uploaded>(r));
        var stats = account.Stats();
        Assert.Equal(3, stats.LargestBatch);
        Assert.Equal(4, stats.BatchCommits);
    }

    [Fact]
    public async Task ATooManyRequests429OnTheCommit_IsWaitedOut_AndTheEntryResent_NotReportedAsRateLimited()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System);
        var hold = account.HoldBatchCommits();
        var upload = target.UploadAsync(Request(account, 0), CancellationToken.None);
        await hold.Reached;
        account.Limits = account.Limits with { RejectAllWrites = true, RetryAfter = TimeSpan.FromSeconds(1) };
        hold.Release();
        await Eventually.TrueAsync(() => account.Stats().TooManyRequests == 1, "the commit met a 429");
        account.Limits = account.Limits with { RejectAllWrites = false };

        Assert.IsType<UploadResult.Uploaded>(await upload);
        Assert.Single(account.Files());
    }

    [Fact]
    public async Task ConflictPolicyFail_ADifferentFileAtThePath_IsPermanentWithTheReason()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System);
        Assert.IsType<UploadResult.Uploaded>(await target.UploadAsync(Request(account, 0), CancellationToken.None));

        var result = await target.UploadAsync(Request(account, 0, ConflictPolicy.Fail, content: 1), CancellationToken.None);

        Assert.Equal("A different file already exists at /batch/0.txt.", Assert.IsType<UploadResult.Permanent>(result).Reason);
        Assert.Single(account.Files());
    }

    [Fact]
    public async Task ConflictPolicyAutorename_ADifferentFileAtThePath_IsArchivedUnderTheNameDropboxChose()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System);
        Assert.IsType<UploadResult.Uploaded>(await target.UploadAsync(Request(account, 0), CancellationToken.None));

        var result = await target.UploadAsync(Request(account, 0, ConflictPolicy.Autorename, content: 1), CancellationToken.None);

        Assert.Equal("/batch/0 (1).txt", Assert.IsType<UploadResult.Uploaded>(result).File.Path);
        Assert.Equal(2, account.Files().Count);
    }

    [Fact]
    public async Task ABatchEntryRefusedForInsufficientSpace_BlocksTheCustomerAsStorageFull()
    {
        var account = fixture.NewAccount(new AccountLimits(QuotaBytes: 4));
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System);

        var result = await target.UploadAsync(Request(account, 0), CancellationToken.None);

        Assert.Equal(CustomerState.StorageFull, Assert.IsType<UploadResult.CustomerBlocked>(result).State);
        Assert.Equal(1, account.Stats().BatchCommits);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task ABatchEntryWhoseStoredHashDiffersFromTheSentBytes_IsTransientAndNotArchived()
    {
        using var http = new HttpClient(new RoutedHandler());
        var target = new DropboxUploadTarget(new DropboxClient(http, new DropboxClientOptions()), TimeProvider.System);

        var result = await target.UploadAsync(TestUploads.Request("token", "/calls/call-1.mp3", TestUploads.Bytes("a call")), CancellationToken.None);

        Assert.StartsWith("content hash mismatch", Assert.IsType<UploadResult.Transient>(result).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1001, 0)]
    [InlineData(10, -1)]
    [InlineData(10, 61_000)]
    public void BatchOptions_OutOfRange_AreRefusedAtConstruction(int maxEntries, int maxWaitMs)
    {
        var options = new BatchCommitOptions { MaxEntries = maxEntries, MaxWait = TimeSpan.FromMilliseconds(maxWaitMs) };

        Assert.Throws<ArgumentOutOfRangeException>(() => new DropboxUploadTarget(fixture.Client, TimeProvider.System, batching: options));
    }

    [Fact]
    public async Task OnlyUnderContention_CommitsOneCallPerFile_UntilContention_ThenBatches()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System, batching: new BatchCommitOptions { OnlyUnderContention = true });

        Assert.IsType<UploadResult.Uploaded>(await target.UploadAsync(Request(account, 0), CancellationToken.None));
        Assert.Equal((1L, 0L), (account.Stats().Requests, account.Stats().BatchCommits)); // one files/upload

        account.ContendNextWrites(1, WriteContentionShape.Conflict409);
        Assert.IsType<UploadResult.Uploaded>(await target.UploadAsync(Request(account, 1), CancellationToken.None));
        Assert.IsType<UploadResult.Uploaded>(await target.UploadAsync(Request(account, 2), CancellationToken.None));

        // From the contention on, the customer batches: file 1 went again through a batch commit, and so did file 2.
        Assert.Equal(2, account.Stats().BatchCommits);
        Assert.Equal(3, account.Files().Count);
    }

    private static byte[] Content(int i) => TestUploads.Bytes($"message number {i}");

    private static UploadRequest Request(EmulatorAccount account, int i, ConflictPolicy? policy = null, int? content = null)
    {
        var bytes = Content(content ?? i);
        var request = TestUploads.Request(account.AccessToken, $"/batch/{i}.txt", bytes);
        return request with { Customer = request.Customer with { Tuning = new CustomerTuning(ConflictPolicy: policy) } };
    }

    /// <summary>Opens sessions, and answers every batch commit with a file whose hash is not that of the bytes sent.</summary>
    private sealed class RoutedHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await request.Content!.CopyToAsync(Stream.Null, cancellationToken);
            var body = request.RequestUri!.AbsolutePath.EndsWith("/start", StringComparison.Ordinal)
                ? """{"session_id":"s1"}"""
                : """
                  {"entries":[{".tag":"success","name":"call-1.mp3","path_lower":"/calls/call-1.mp3","path_display":"/calls/call-1.mp3",
                   "id":"id:x","client_modified":"2024-03-14T09:26:53Z","server_modified":"2024-03-14T09:27:00Z","rev":"a1c10ce0dd78",
                   "size":6,"content_hash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]}
                  """;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
