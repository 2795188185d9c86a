using System.Diagnostics;
using System.Security.Cryptography;
using Archiver.Core.Uploads;
using Archiver.Dropbox.Batching;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;
using Xunit.Abstractions;

namespace Archiver.Dropbox.Tests.Uploads;

public sealed class UploadSessionTests(EmulatorFixture fixture, ITestOutputHelper output) : IClassFixture<EmulatorFixture>
{
    private const string Path = "/Calls/2024-03-14/call-1.mp3";
    private const long MiB = 1024 * 1024;

    private DropboxClient Client => fixture.Client;

    [Fact]
    public async Task Session_StartAppendFinish_StoresTheConcatenatedContent()
    {
        var account = fixture.NewAccount();
        var content = RandomBytes(5 * (int)MiB, seed: 1);

        var id = await Client.UploadSessionStartAsync(account.AccessToken);
        await Client.UploadSessionAppendAsync(account.AccessToken, id, 0, new MemoryStream(content, 0, 4 * (int)MiB), 4 * MiB, close: false);
        await Client.UploadSessionAppendAsync(
            account.AccessToken, id, 4 * MiB, new MemoryStream(content, 4 * (int)MiB, (int)MiB), MiB, close: true);
        var file = await Client.UploadSessionFinishAsync(account.AccessToken, id, 5 * MiB, new CommitInfo(Path));

        var stored = Assert.Single(account.Files());
        Assert.Equal(DropboxContentHasher.Compute(content), file.ContentHash);
        Assert.Equal(file.ContentHash, stored.ContentHash);
        Assert.Equal(content.Length, stored.Size);
        Assert.Equal(Path, stored.PathDisplay);
    }

    [Fact]
    public async Task Append_AtTheWrongOffset_IsIncorrectOffsetWithTheCorrectOne()
    {
        var account = fixture.NewAccount();
        var id = await Client.UploadSessionStartAsync(account.AccessToken);
        await Client.UploadSessionAppendAsync(account.AccessToken, id, 0, new MemoryStream(new byte[10]), 10, close: false);

        var e = await Assert.ThrowsAsync<DropboxUploadSessionException>(
            () => Client.UploadSessionAppendAsync(account.AccessToken, id, 3, new MemoryStream(new byte[10]), 10, close: false));

        Assert.Equal(UploadSessionErrorKind.IncorrectOffset, e.Kind);
        Assert.Equal(10, e.CorrectOffset);
        Assert.Equal("incorrect_offset", e.Tag);
    }

    [Fact]
    public async Task Finish_AtTheWrongOffset_IsIncorrectOffsetWithTheCorrectOne()
    {
        var account = fixture.NewAccount();
        var id = await Client.UploadSessionStartAsync(account.AccessToken);
        await Client.UploadSessionAppendAsync(account.AccessToken, id, 0, new MemoryStream(new byte[10]), 10, close: false);

        var e = await Assert.ThrowsAsync<DropboxUploadSessionException>(
            () => Client.UploadSessionFinishAsync(account.AccessToken, id, 7, new CommitInfo(Path)));

        Assert.Equal(UploadSessionErrorKind.IncorrectOffset, e.Kind);
        Assert.Equal(10, e.CorrectOffset);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Append_ToAnUnknownSession_IsNotFound()
    {
        var account = fixture.NewAccount();

        var e = await Assert.ThrowsAsync<DropboxUploadSessionException>(
            () => Client.UploadSessionAppendAsync(account.AccessToken, "nope", 0, new MemoryStream(new byte[1]), 1, close: false));

        Assert.Equal(UploadSessionErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Append_AfterClose_IsClosed()
    {
        var account = fixture.NewAccount();
        var id = await Client.UploadSessionStartAsync(account.AccessToken);
        await Client.UploadSessionAppendAsync(account.AccessToken, id, 0, new MemoryStream(new byte[4]), 4, close: true);

        var e = await Assert.ThrowsAsync<DropboxUploadSessionException>(
            () => Client.UploadSessionAppendAsync(account.AccessToken, id, 4, new MemoryStream(new byte[4]), 4, close: false));

        Assert.Equal(UploadSessionErrorKind.Closed, e.Kind);
    }

    [Fact]
    public async Task Finish_OfIdenticalContentAtThePath_SucceedsWithoutANewRevision()
    {
        var account = fixture.NewAccount();
        var content = RandomBytes(1000, seed: 2);
        var first = await Client.UploadAsync(account.AccessToken, new CommitInfo(Path), content);

        var id = await Client.UploadSessionStartAsync(account.AccessToken);
        await Client.UploadSessionAppendAsync(account.AccessToken, id, 0, new MemoryStream(content), content.Length, close: false);
        var second = await Client.UploadSessionFinishAsync(account.AccessToken, id, content.Length, new CommitInfo(Path));

        Assert.Equal(first.Rev, second.Rev);
        Assert.Equal(2, Assert.Single(account.Files()).UploadCount);
    }

    [Fact]
    public async Task Finish_OfDifferentContentAtThePath_IsAFileConflict()
    {
        var account = fixture.NewAccount();
        await Client.UploadAsync(account.AccessToken, new CommitInfo(Path), RandomBytes(1000, seed: 3));

        var id = await Client.UploadSessionStartAsync(account.AccessToken);
        await Client.UploadSessionAppendAsync(account.AccessToken, id, 0, new MemoryStream(new byte[5]), 5, close: false);
        var e = await Assert.ThrowsAsync<DropboxPathException>(
            () => Client.UploadSessionFinishAsync(account.AccessToken, id, 5, new CommitInfo(Path)));

        Assert.Equal(PathErrorKind.Conflict, e.Kind);
        Assert.Equal(WriteConflictKind.File, e.Conflict);
    }

    [Fact]
    public async Task Finish_ASecondTime_IsNotFound()
    {
        var account = fixture.NewAccount();
        var id = await Client.UploadSessionStartAsync(account.AccessToken);
        await Client.UploadSessionFinishAsync(account.AccessToken, id, 0, new CommitInfo(Path));

        var e = await Assert.ThrowsAsync<DropboxUploadSessionException>(
            () => Client.UploadSessionFinishAsync(account.AccessToken, id, 0, new CommitInfo(Path)));

        Assert.Equal(UploadSessionErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Target_WithoutBatching_SmallFile_UsesOneUpload()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(
            fixture.Client, TimeProvider.System, sessionThreshold: MiB, batching: new BatchCommitOptions { Enabled = false });
        var content = RandomBytes((int)MiB, seed: 4);

        var result = await target.UploadAsync(TestUploads.Request(account.AccessToken, Path, content), CancellationToken.None);

        Assert.IsType<UploadResult.Uploaded>(result);
        Assert.Equal(1, account.Stats().Requests);
    }

    [Fact]
    public async Task Target_WithBatching_SmallFile_UsesOneClosedSessionStartAndOneBatchCommit()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System, sessionThreshold: MiB);
        var content = RandomBytes((int)MiB, seed: 4);

        var result = await target.UploadAsync(TestUploads.Request(account.AccessToken, Path, content), CancellationToken.None);

        Assert.Equal(ReferenceContentHash.Of(content), Assert.IsType<UploadResult.Uploaded>(result).File.ContentHash);
        Assert.Equal(2, account.Stats().Requests);
        Assert.Equal(1, account.Stats().BatchCommits);
    }

    [Fact]
    public async Task Target_FileAboveTheThreshold_UsesASessionInChunks()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System, sessionThreshold: MiB);
        var length = 2 * DropboxUploadTarget.SessionChunkSize + 12345;
        var request = TestUploads.Request(account.AccessToken, Path, new GeneratedStream(length, seed: 5), length);

        var result = await target.UploadAsync(request, CancellationToken.None);

        var file = Assert.IsType<UploadResult.Uploaded>(result).File;
        Assert.Equal(IndependentHash(new GeneratedStream(length, seed: 5)), file.ContentHash);
        Assert.Equal(length, file.Size);
        Assert.Equal(5, account.Stats().Requests); // start, three appends, finish
    }

    [Fact]
    public async Task Target_AppendWhoseAnswerIsLost_ContinuesAfterTheChunkThatLanded()
    {
        var account = fixture.NewAccount();
        account.DropNextAppendResponses(2);
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System, sessionThreshold: MiB);
        var length = 3 * DropboxUploadTarget.SessionChunkSize - 7;
        var request = TestUploads.Request(account.AccessToken, Path, new GeneratedStream(length, seed: 6), length);

        var result = await target.UploadAsync(request, CancellationToken.None);

        var file = Assert.IsType<UploadResult.Uploaded>(result).File;
        var stored = Assert.Single(account.Files());
        Assert.Equal(IndependentHash(new GeneratedStream(length, seed: 6)), stored.ContentHash);
        Assert.Equal(stored.ContentHash, file.ContentHash);
        Assert.Equal(length, stored.Size);

        // start, 2 × (append whose answer is lost + its resend answered incorrect_offset), the third append, finish
        Assert.Equal(7, account.Stats().Requests);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public async Task Target_AppendFailingWithServerErrors_IsRetriedThreeTimes(int failures, bool uploaded)
    {
        var account = fixture.NewAccount();
        using var handler = new FailingAppends(failures);
        using var http = new HttpClient(handler);
        var client = new DropboxClient(
            http, new DropboxClientOptions { ApiBaseUri = fixture.Emulator.BaseUri, ContentBaseUri = fixture.Emulator.BaseUri });
        var target = new DropboxUploadTarget(client, TimeProvider.System, sessionThreshold: MiB);
        var length = 2 * MiB;
        var request = TestUploads.Request(account.AccessToken, Path, new GeneratedStream(length, seed: 7), length);

        var result = await target.UploadAsync(request, CancellationToken.None);

        Assert.Equal(Math.Min(failures, 4), handler.Failed);
        if (uploaded)
        {
            Assert.Equal(IndependentHash(new GeneratedStream(length, seed: 7)), Assert.IsType<UploadResult.Uploaded>(result).File.ContentHash);
        }
        else
        {
            Assert.IsType<UploadResult.Transient>(result);
            Assert.Empty(account.Files());
        }
    }

    [Fact]
    public async Task Target_300MiBForwardOnlyStream_IsArchivedInLittleMemory()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, TimeProvider.System);
        const long length = 300 * MiB;
        var request = TestUploads.Request(account.AccessToken, Path, new GeneratedStream(length, seed: 8), length);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20);
            }
        });

        var result = await target.UploadAsync(request, CancellationToken.None);
        await stop.CancelAsync();
        await sampler;

        var growth = peak - baseline;
        var file = Assert.IsType<UploadResult.Uploaded>(result).File;
        var stored = Assert.Single(account.Files());
        Assert.Equal(IndependentHash(new GeneratedStream(length, seed: 8)), stored.ContentHash);
        Assert.Equal(stored.ContentHash, file.ContentHash);
        Assert.Equal(length, stored.Size);
        Assert.True(growth < 100 * MiB, $"The working set grew by {growth / MiB} MiB while uploading {length / MiB} MiB.");
        output.WriteLine($"300 MiB session upload: working set growth {growth / (double)MiB:F1} MiB");
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Dropbox's content hash written out here, not taken from the code under test.</summary>
    private static string IndependentHash(Stream content)
    {
        var block = new byte[4 * 1024 * 1024];
        using var digests = new MemoryStream();
        while (true)
        {
            var filled = 0;
            int read;
            while (filled < block.Length && (read = content.Read(block, filled, block.Length - filled)) > 0)
            {
                filled += read;
            }

            if (filled == 0)
            {
                break;
            }

            digests.Write(SHA256.HashData(block.AsSpan(0, filled)));
        }

        return Convert.ToHexStringLower(SHA256.HashData(digests.ToArray()));
    }

    /// <summary>Answers the first appends 503 without passing them on.</summary>
    private sealed class FailingAppends(int count) : DelegatingHandler(new HttpClientHandler())
    {
        public int Failed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/append_v2", StringComparison.Ordinal) && Failed < count)
            {
                Failed++;
                return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
