using Archiver.Dropbox.Emulator.Admin;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// The emulator's single request handler: stamps <c>X-Dropbox-Request-Id</c>, sends <c>/_emulator/…</c> to the
/// admin endpoints, and passes API calls through the <see cref="AccountGate"/> to their route.
/// </summary>
internal sealed class ApiRequestHandler(AccountGate gate, AdminEndpoints admin, TokenEndpoint token, EmulatorOptions options)
{
    private readonly UploadEndpoint _upload = new(options.TimeProvider, options.MaxUploadBytes);
    private readonly UploadSessionStartEndpoint _sessionStart = new(options.MaxUploadBytes);
    private readonly UploadSessionAppendEndpoint _sessionAppend = new(options.MaxUploadBytes);
    private readonly UploadSessionFinishEndpoint _sessionFinish = new(options.TimeProvider, options.MaxUploadBytes);
    private readonly FinishBatchEndpoint _finishBatchV2 = new(options.TimeProvider, asynchronous: false);
    private readonly FinishBatchEndpoint _finishBatch = new(options.TimeProvider, asynchronous: true);
    private readonly FinishBatchCheckEndpoint _finishBatchCheck = new();
    private readonly GetMetadataEndpoint _getMetadata = new();
    private readonly ListFolderEndpoint _listFolder = new();
    private readonly ListFolderContinueEndpoint _listFolderContinue = new();

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers[RequestIds.Header] = RequestIds.Next();
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request; there is nobody left to answer.
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.StartsWith(AdminEndpoints.Prefix, StringComparison.Ordinal))
        {
            await admin.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (path == TokenEndpoint.Path)
        {
            await token.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        IApiEndpoint? endpoint = path switch
        {
            "/2/files/upload" => _upload,
            "/2/files/upload_session/start" => _sessionStart,
            "/2/files/upload_session/append_v2" => _sessionAppend,
            "/2/files/upload_session/finish" => _sessionFinish,
            "/2/files/upload_session/finish_batch_v2" => _finishBatchV2,
            "/2/files/upload_session/finish_batch" => _finishBatch,
            "/2/files/upload_session/finish_batch/check" => _finishBatchCheck,
            "/2/files/get_metadata" => _getMetadata,
            "/2/files/list_folder" => _listFolder,
            "/2/files/list_folder/continue" => _listFolderContinue,
            _ => null,
        };
        if (endpoint is null)
        {
            await PlainText.SendAsync(context, StatusCodes.Status404NotFound, $"Unknown API function: \"{path}\".").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await PlainText.SendAsync(context, StatusCodes.Status405MethodNotAllowed, "Only POST is accepted.").ConfigureAwait(false);
            return;
        }

        var admission = gate.Admit(context.Request.Headers.Authorization.ToString());
        switch (admission.Result)
        {
            case AdmissionResult.Admitted:
                if (await InjectedFaults.TryInjectAsync(context, admission.Account!, options.TimeProvider).ConfigureAwait(false))
                {
                    return;
                }

                await endpoint.HandleAsync(context, admission.Account!).ConfigureAwait(false);
                return;
            case AdmissionResult.MissingAuthorization:
                await PlainText.BadRequestAsync(
                    context, endpoint.Function, "Must provide HTTP header \"Authorization\" or URL parameter \"authorization\".")
                    .ConfigureAwait(false);
                return;
            case AdmissionResult.MalformedAuthorization:
                await PlainText.BadRequestAsync(
                    context,
                    endpoint.Function,
                    "Invalid authorization value in HTTP header \"Authorization\". Expecting \"Bearer <oauth2-access-token>\".")
                    .ConfigureAwait(false);
                return;
            case AdmissionResult.UnknownToken:
                await ErrorJson.AuthAsync(context, "invalid_access_token").ConfigureAwait(false);
                return;
            case AdmissionResult.ExpiredToken:
                await ErrorJson.AuthAsync(context, "expired_access_token").ConfigureAwait(false);
                return;
            case AdmissionResult.RateLimited:
                await ErrorJson.RateLimitedAsync(context, admission.RetryAfter, "too_many_requests").ConfigureAwait(false);
                return;
            default:
                await PlainText.SendAsync(
                    context,
                    admission.FaultStatus,
                    $"<html><body><h1>{admission.FaultStatus} Server Error</h1></body></html>",
                    "text/html; charset=utf-8").ConfigureAwait(false);
                return;
        }
    }
}
