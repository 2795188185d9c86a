using Archiver.Dropbox.Emulator.Files;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary><c>POST /2/files/list_folder</c>: the first page of a folder's entries ("" is the root).</summary>
internal sealed class ListFolderEndpoint : IApiEndpoint
{
    public const int MaxLimit = 2000;

    public string Function => "files/list_folder";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        if (!RpcRequest.HasJsonContentType(context.Request))
        {
            await PlainText.BadRequestAsync(context, Function, string.Format(null, RpcRequest.WrongContentType, context.Request.ContentType))
                .ConfigureAwait(false);
            return;
        }

        var arg = await RpcRequest.ReadArgAsync(context, ProtocolJsonContext.Default.ListFolderArg).ConfigureAwait(false);
        if (arg?.Path is not { } path)
        {
            await PlainText.BadRequestAsync(context, Function, "request body: could not decode input as JSON").ConfigureAwait(false);
            return;
        }

        if (path == "/")
        {
            await PlainText.BadRequestAsync(context, Function, "request body: path: Specify the root folder as an empty string rather than as \"/\".")
                .ConfigureAwait(false);
            return;
        }

        if (path.Length > 0 && !path.StartsWith('/'))
        {
            await PlainText.BadRequestAsync(context, Function, $"request body: path: '{path}' did not match pattern '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/.*)?)'")
                .ConfigureAwait(false);
            return;
        }

        if (arg.Limit is < 1 or > MaxLimit)
        {
            await PlainText.BadRequestAsync(context, Function, $"request body: limit: {arg.Limit} is not between 1 and {MaxLimit}")
                .ConfigureAwait(false);
            return;
        }

        if (path.Length > 0 && PathRules.Check(path) == PathProblem.MalformedPath)
        {
            await ErrorJson.LookupPathAsync(context, "malformed_path").ConfigureAwait(false);
            return;
        }

        await ListingJson.AnswerAsync(context, account.Tree, new ListCursor(path, arg.Recursive, arg.Limit ?? MaxLimit, After: null))
            .ConfigureAwait(false);
    }
}
