using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary><c>POST /2/files/upload_session/finish_batch/check</c>: <c>in_progress</c> once, then <c>complete</c>.</summary>
internal sealed class FinishBatchCheckEndpoint : IApiEndpoint
{
    private static readonly byte[] InProgress = """{".tag":"in_progress"}"""u8.ToArray();

    public string Function => "files/upload_session/finish_batch/check";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        if (!RpcRequest.HasJsonContentType(context.Request))
        {
            await PlainText.BadRequestAsync(context, Function, string.Format(null, RpcRequest.WrongContentType, context.Request.ContentType))
                .ConfigureAwait(false);
            return;
        }

        var arg = await RpcRequest.ReadArgAsync(context, ProtocolJsonContext.Default.PollArg).ConfigureAwait(false);
        if (arg?.AsyncJobId is not { } id)
        {
            await PlainText.BadRequestAsync(context, Function, "request body: could not decode input as JSON").ConfigureAwait(false);
            return;
        }

        switch (account.BatchJobs.Check(id))
        {
            case null:
                await ErrorJson.RouteAsync(context, "invalid_async_job_id").ConfigureAwait(false);
                return;
            case { Length: 0 }:
                await FinishBatchEndpoint.SendAsync(context, InProgress).ConfigureAwait(false);
                return;
            case { } complete:
                await FinishBatchEndpoint.SendAsync(context, complete).ConfigureAwait(false);
                return;
        }
    }
}
