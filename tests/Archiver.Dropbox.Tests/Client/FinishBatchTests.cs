using System.Net;
using System.Text;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;
using Archiver.Testing;

namespace Archiver.Dropbox.Tests.Client;

/// <summary>The batch commit route (<c>finish_batch_v2</c>) against the emulator.</summary>
public sealed class FinishBatchTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private DropboxClient Client => fixture.Client;

    [Fact]
    public async Task FinishBatchV2_CommitsClosedSessions_AndAnswersEachEntryInOrderWithItsOwnOutcome()
    {
        var account = fixture.NewAccount();
        var token = account.AccessToken;
        await Client.UploadAsync(token, new CommitInfo("/taken.txt"), TestUploads.Bytes("already here"));
        var first = await StartClosedAsync(token, "first");
        var conflicting = await StartClosedAsync(token, "different");
        var open = await Client.UploadSessionStartAsync(token, new MemoryStream(TestUploads.Bytes("open")), 4, close: false);
        var renamed = await StartClosedAsync(token, "renamed");

        var results = await Client.UploadSessionFinishBatchV2Async(token,
        [
            new FinishBatchEntry(first, 5, new CommitInfo("/a/first.txt")),
            new FinishBatchEntry(conflicting, 9, new CommitInfo("/taken.txt")),
            new FinishBatchEntry(open, 4, new CommitInfo("/a/open.txt")),
            new FinishBatchEntry(renamed, 7, new CommitInfo("/taken.txt") { Autorename = true }),
        ]);

        Assert.Equal(4, results.Count);
        Assert.Equal("/a/first.txt", results[0].File!.PathDisplay);
        Assert.Equal(ReferenceContentHash.Of(TestUploads.Bytes("first")), results[0].File!.ContentHash);
        var conflict = Assert.IsType<DropboxPathException>(results[1].Failure);
        Assert.Equal(PathErrorKind.Conflict, conflict.Kind);
        Assert.Equal(WriteConflictKind.File, conflict.Conflict);
        Assert.Equal(UploadSessionErrorKind.NotClosed, Assert.IsType<DropboxUploadSessionException>(results[2].Failure).Kind);
        Assert.Equal("/taken (1).txt", results[3].File!.PathDisplay);
        var stats = account.Stats();
        Assert.Equal(1, stats.BatchCommits);
        Assert.Equal(4, stats.LargestBatch);
    }

    [Fact]
    public async Task FinishBatchV2_WithMoreThanAThousandEntries_IsRefusedByTheEmulator()
    {
        var account = fixture.NewAccount();
        var entries = string.Join(',', Enumerable.Range(0, 1001).Select(
            i => $$$"""{"cursor":{"session_id":"s{{{i}}}","offset":0},"commit":{"path":"/f{{{i}}}.txt"}}"""));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Emulator.BaseUri, "2/files/upload_session/finish_batch_v2"))
        {
            Content = new StringContent($$"""{"entries":[{{entries}}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", account.AccessToken);

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 1000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client.UploadSessionFinishBatchV2Async(
            account.AccessToken, [.. Enumerable.Range(0, 1001).Select(i => new FinishBatchEntry("s", 0, new CommitInfo($"/f{i}")))]));
    }

    [Theory]
    [InlineData(WriteContentionShape.RateLimit429)]
    [InlineData(WriteContentionShape.Conflict409)]
    public async Task Upload_WhileAnotherCommitHoldsTheWriteLock_MeetsContentionInTheConfiguredShape(WriteContentionShape shape)
    {
        var account = fixture.NewAccount(new AccountLimits { WriteTime = TimeSpan.FromSeconds(2), Contention = shape });
        var holder = Client.UploadAsync(account.AccessToken, new CommitInfo("/slow.txt"), TestUploads.Bytes("slow"));
        await Eventually.TrueAsync(() => account.IsWriteLocked, "the first commit holds the write lock");

        var refused = await Assert.ThrowsAnyAsync<DropboxException>(
            () => Client.UploadAsync(account.AccessToken, new CommitInfo("/fast.txt"), TestUploads.Bytes("fast")));
        await holder;

        if (shape == WriteContentionShape.RateLimit429)
        {
            Assert.Equal(RateLimitReason.TooManyWriteOperations, Assert.IsType<DropboxRateLimitException>(refused).Reason);
            Assert.Equal(1, account.Stats().TooManyWriteOperations);
        }
        else
        {
            Assert.Equal(PathErrorKind.TooManyWriteOperations, Assert.IsType<DropboxPathException>(refused).Kind);
        }

        Assert.Equal("/slow.txt", Assert.Single(account.Files()).PathDisplay);
    }

    private async Task<string> StartClosedAsync(string token, string text)
    {
        var bytes = TestUploads.Bytes(text);
        return await Client.UploadSessionStartAsync(token, new MemoryStream(bytes), bytes.Length, close: true);
    }
}
