using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// <c>POST /2/files/list_folder/continue</c>: the page after a cursor. Past the last page it returns what was added
/// since, in so far as it sorts after the last entry handed out (a simplification of Dropbox's change feed).
/// </summary>
internal sealed class ListFolderContinueEndpoint : IApiEndpoint
{
    public string Function => "files/list_folder/continue";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        if (!RpcRequest.HasJsonContentType(context.Request))
        {
            await PlainText.BadRequestAsync(context, Function, string.Format(null, RpcRequest.WrongContentType, context.Request.ContentType))
                .ConfigureAwait(false);
            return;
        }

        var arg = await RpcRequest.ReadArgAsync(context, ProtocolJsonContext.Default.ListFolderContinueArg).ConfigureAwait(false);
        if (arg is null)
        {
            await PlainText.BadRequestAsync(context, Function, "request body: could not decode input as JSON").ConfigureAwait(false);
            return;
        }

        if (ListCursor.TryDecode(arg.Cursor) is not { } cursor)
        {
            await PlainText.BadRequestAsync(context, Function, "request body: cursor: Invalid cursor.").ConfigureAwait(false);
            return;
        }

        await ListingJson.AnswerAsync(context, account.Tree, cursor).ConfigureAwait(false);
    }
}
