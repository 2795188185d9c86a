using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.EmulatorApi;

/// <summary>
/// The emulator's asynchronous batch commit (<c>finish_batch</c>, polled with <c>finish_batch/check</c>) on the wire:
/// the archiver commits with <c>finish_batch_v2</c>, but the emulator answers this older form too.
/// </summary>
public sealed class AsyncFinishBatchTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Check = "2/files/upload_session/finish_batch/check";

    [Fact]
    public async Task FinishBatch_StartsAJob_ThatIsInProgressThenCompleteWithTheEntries()
    {
        var account = fixture.NewAccount();
        var content = TestUploads.Bytes("async");
        var session = await fixture.Client.UploadSessionStartAsync(
            account.AccessToken, new MemoryStream(content), content.Length, close: true);

        using var launched = await fixture.CallAsync("2/files/upload_session/finish_batch", account.AccessToken,
            $$$"""{"entries":[{"cursor":{"session_id":"{{{session}}}","offset":5},"commit":{"path":"/job/async.txt"}}]}""");
        Assert.Equal("async_job_id", launched.RootElement.GetProperty(".tag").GetString());
        var job = $$"""{"async_job_id":"{{launched.RootElement.GetProperty("async_job_id").GetString()}}"}""";
        using var running = await fixture.CallAsync(Check, account.AccessToken, job);
        using var done = await fixture.CallAsync(Check, account.AccessToken, job);

        Assert.Equal("in_progress", running.RootElement.GetProperty(".tag").GetString());
        Assert.Equal("complete", done.RootElement.GetProperty(".tag").GetString());
        var entry = Assert.Single(done.RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("success", entry.GetProperty(".tag").GetString());
        Assert.Equal("/job/async.txt", entry.GetProperty("path_display").GetString());
        Assert.Equal("/job/async.txt", Assert.Single(account.Files()).PathDisplay);
    }

    [Fact]
    public async Task FinishBatchCheck_OfAnUnknownJob_IsInvalidAsyncJobId()
    {
        var account = fixture.NewAccount();

        var error = await fixture.RouteErrorAsync(Check, account.AccessToken, """{"async_job_id":"dbjid:nobody-started-this"}""");

        Assert.Equal("invalid_async_job_id", error.GetProperty(".tag").GetString());
    }
}
