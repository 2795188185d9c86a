using Archiver.Dropbox.Emulator.Files;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary><c>POST /2/files/get_metadata</c>: the tagged metadata of a file or folder (not the root).</summary>
internal sealed class GetMetadataEndpoint : IApiEndpoint
{
    public string Function => "files/get_metadata";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        if (!RpcRequest.HasJsonContentType(context.Request))
        {
            await PlainText.BadRequestAsync(context, Function, string.Format(null, RpcRequest.WrongContentType, context.Request.ContentType))
                .ConfigureAwait(false);
            return;
        }

        var arg = await RpcRequest.ReadArgAsync(context, ProtocolJsonContext.Default.GetMetadataArg).ConfigureAwait(false);
        if (arg?.Path is not { } path)
        {
            await PlainText.BadRequestAsync(context, Function, "request body: could not decode input as JSON").ConfigureAwait(false);
            return;
        }

        if (path.Length == 0)
        {
            await PlainText.BadRequestAsync(context, Function, "request body: path: The root folder is unsupported.").ConfigureAwait(false);
            return;
        }

        if (!path.StartsWith('/'))
        {
            // id:, rev: and ns: paths are valid Dropbox paths the emulator does not resolve.
            if (path.StartsWith("id:", StringComparison.Ordinal) || path.StartsWith("rev:", StringComparison.Ordinal)
                || path.StartsWith("ns:", StringComparison.Ordinal))
            {
                await ErrorJson.LookupPathAsync(context, "not_found").ConfigureAwait(false);
            }
            else
            {
                await PlainText.BadRequestAsync(context, Function, $"request body: path: '{path}' did not match pattern '(/(.|[\\r\\n])*|id:.*)|(rev:[0-9a-f]{{9,}})|(ns:[0-9]+(/.*)?)'")
                    .ConfigureAwait(false);
            }

            return;
        }

        if (PathRules.Check(path) == PathProblem.MalformedPath)
        {
            await ErrorJson.LookupPathAsync(context, "malformed_path").ConfigureAwait(false);
            return;
        }

        if (account.Tree.Find(path) is not { } entry)
        {
            await ErrorJson.LookupPathAsync(context, "not_found").ConfigureAwait(false);
            return;
        }

        var json = JsonBody.Begin();
        MetadataJson.WriteTagged(json, entry);
        await JsonBody.SendAsync(context, StatusCodes.Status200OK).ConfigureAwait(false);
    }
}
