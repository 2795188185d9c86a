using System.Net;
using System.Text;
using System.Text.Json;
using Archiver.Dropbox.Errors;

namespace Archiver.Dropbox.Http;

/// <summary>Turns a non-success Dropbox response into the matching <see cref="DropboxException"/>.</summary>
internal static class DropboxErrorReader
{
    private const string RequestIdHeader = "X-Dropbox-Request-Id";
    private const int MaxBodyChars = 16 * 1024;
    private static readonly TimeSpan MinimumRetryAfter = TimeSpan.FromSeconds(1);

    public static async Task<DropboxException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var requestId = RequestIdOf(response);
        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        using var json = TryParseJson(body);
        var root = json?.RootElement ?? default;
        var summary = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_summary", out var s)
            && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var error = StoneTags.Member(root, "error");

        return (int)response.StatusCode switch
        {
            400 => new DropboxBadRequestException(
                string.IsNullOrWhiteSpace(body) ? "Dropbox rejected the request as malformed." : body.Trim(),
                requestId),
            401 => new DropboxAuthException(
                StoneTags.ToAuthErrorKind(StoneTags.Of(error)),
                RequiredScopeOf(error),
                requestId,
                summary),
            409 => RouteError(error, requestId, summary),
            429 => new DropboxRateLimitException(
                RetryAfterOf(response, error),
                StoneTags.ToRateLimitReason(StoneTags.Of(StoneTags.Member(error, "reason"))),
                requestId,
                summary),
            >= 500 => new DropboxServerException(response.StatusCode, requestId),
            _ => new DropboxUnexpectedResponseException(
                response.StatusCode,
                $"Dropbox answered with an unexpected status {(int)response.StatusCode} ({summary ?? "no details"}).",
                requestId,
                summary),
        };
    }

    public static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(RequestIdHeader, out var values) ? values.FirstOrDefault() : null;

    /// <summary>A route error (the <c>error</c> member of a 409, or a batch entry's <c>failure</c>) as an exception.</summary>
    public static DropboxRouteException RouteError(JsonElement error, string? requestId, string? summary)
    {
        var tag = StoneTags.Of(error) ?? "other";
        var lookup = tag == "lookup_failed" ? StoneTags.Member(error, "lookup_failed") : error;
        var lookupTag = tag == "lookup_failed" ? StoneTags.Of(lookup) ?? "other" : tag;
        if (StoneTags.ToUploadSessionErrorKind(lookupTag) is { } sessionKind)
        {
            var offset = StoneTags.Member(lookup, "correct_offset");
            return new DropboxUploadSessionException(
                sessionKind,
                lookupTag,
                offset.ValueKind == JsonValueKind.Number && offset.TryGetInt64(out var correct) ? correct : null,
                requestId,
                summary);
        }

        if (tag != "path")
        {
            return new DropboxRouteException(tag, $"Dropbox refused the call ({summary ?? tag}).", requestId, summary);
        }

        // Uploads nest the WriteError under "reason" (UploadWriteFailed); lookups and finishes put it under "path".
        var detail = StoneTags.Member(error, "reason");
        if (detail.ValueKind == JsonValueKind.Undefined)
        {
            detail = StoneTags.Member(error, "path");
        }

        var kind = StoneTags.ToPathErrorKind(StoneTags.Of(detail));
        WriteConflictKind? conflict = kind == PathErrorKind.Conflict
            ? StoneTags.ToConflictKind(StoneTags.Of(StoneTags.Member(detail, "conflict")))
            : null;
        return new DropboxPathException(kind, conflict, requestId, summary);
    }

    private static string? RequiredScopeOf(JsonElement error)
    {
        var scope = StoneTags.Member(error, "required_scope");
        return scope.ValueKind == JsonValueKind.String ? scope.GetString() : null;
    }

    /// <summary>The longest of the header's wait, the body's <c>retry_after</c> and one second.</summary>
    private static TimeSpan RetryAfterOf(HttpResponseMessage response, JsonElement error)
    {
        var wait = MinimumRetryAfter;
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta && delta > wait)
        {
            wait = delta;
        }
        else if (header?.Date is { } until && response.Headers.Date is { } sent && until - sent > wait)
        {
            wait = until - sent;
        }

        var body = StoneTags.Member(error, "retry_after");
        if (body.ValueKind == JsonValueKind.Number && body.TryGetDouble(out var seconds)
            && seconds < TimeSpan.MaxValue.TotalSeconds && TimeSpan.FromSeconds(seconds) > wait)
        {
            wait = TimeSpan.FromSeconds(seconds);
        }

        return wait;
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxBodyChars];
            var length = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new string(buffer, 0, length);
        }
    }

    private static JsonDocument? TryParseJson(string body)
    {
        if (!body.AsSpan().TrimStart().StartsWith("{"))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
