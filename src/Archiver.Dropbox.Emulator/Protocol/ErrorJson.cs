using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Dropbox's JSON error bodies: <c>{"error_summary": "tag/path/..", "error": …}</c>, with the Stone union shapes of
/// each status (401 <c>AuthError</c>, 409 route errors, 429 <c>RateLimitError</c>).
/// </summary>
internal static class ErrorJson
{
    private static readonly JsonEncodedText Summary = JsonEncodedText.Encode("error_summary");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText Tag = JsonEncodedText.Encode(".tag");
    private static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText RetryAfter = JsonEncodedText.Encode("retry_after");
    private static readonly JsonEncodedText Path = JsonEncodedText.Encode("path");
    private static readonly JsonEncodedText UploadSessionId = JsonEncodedText.Encode("upload_session_id");

    /// <summary>401 with an <c>AuthError</c> such as <c>invalid_access_token</c>.</summary>
    public static ValueTask<FlushResult> AuthAsync(HttpContext context, string tag)
    {
        var json = BeginError(tag + "/..");
        WriteTagObject(json, tag);
        return EndError(json, context, StatusCodes.Status401Unauthorized);
    }

    /// <summary>429 with <c>Retry-After</c> in whole seconds and a matching <c>retry_after</c>.</summary>
    public static ValueTask<FlushResult> RateLimitedAsync(HttpContext context, TimeSpan retryAfter, string reasonTag)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var json = BeginError(reasonTag + "/..");
        json.WriteStartObject();
        json.WritePropertyName(Reason);
        WriteTagObject(json, reasonTag);
        json.WriteNumber(RetryAfter, seconds);
        json.WriteEndObject();
        return EndError(json, context, StatusCodes.Status429TooManyRequests);
    }

    /// <summary>409 for <c>files/upload</c>: <c>{".tag":"path","reason":WriteError,"upload_session_id":…}</c>.</summary>
    public static ValueTask<FlushResult> UploadPathAsync(HttpContext context, string writeErrorTag, string? conflictTag)
    {
        var json = BeginError(conflictTag is null ? $"path/{writeErrorTag}/.." : $"path/{writeErrorTag}/{conflictTag}/..");
        json.WriteStartObject();
        json.WriteString(Tag, Path);
        json.WritePropertyName(Reason);
        WriteWriteError(json, writeErrorTag, conflictTag);
        json.WriteString(UploadSessionId, "pid_upload_session:" + RequestIds.Next());
        json.WriteEndObject();
        return EndError(json, context, StatusCodes.Status409Conflict);
    }

    /// <summary>409 for lookups: <c>{".tag":"path","path":LookupError}</c>.</summary>
    public static ValueTask<FlushResult> LookupPathAsync(HttpContext context, string lookupErrorTag)
    {
        var json = BeginError($"path/{lookupErrorTag}/..");
        json.WriteStartObject();
        json.WriteString(Tag, Path);
        json.WritePropertyName(Path);
        WriteWriteError(json, lookupErrorTag, conflictTag: null);
        json.WriteEndObject();
        return EndError(json, context, StatusCodes.Status409Conflict);
    }

    /// <summary>409 with a route error that carries no value, e.g. <c>payload_too_large</c>.</summary>
    public static ValueTask<FlushResult> RouteAsync(HttpContext context, string tag)
    {
        var json = BeginError(tag + "/..");
        WriteTagObject(json, tag);
        return EndError(json, context, StatusCodes.Status409Conflict);
    }

    private static Utf8JsonWriter BeginError(string summary)
    {
        var json = JsonBody.Begin();
        json.WriteStartObject();
        json.WriteString(Summary, summary);
        json.WritePropertyName(Error);
        return json;
    }

    private static ValueTask<FlushResult> EndError(Utf8JsonWriter json, HttpContext context, int statusCode)
    {
        json.WriteEndObject();
        return JsonBody.SendAsync(context, statusCode);
    }

    private static void WriteTagObject(Utf8JsonWriter json, string tag)
    {
        json.WriteStartObject();
        json.WriteString(Tag, tag);
        json.WriteEndObject();
    }

    /// <summary>A <c>WriteError</c>/<c>LookupError</c>; <c>malformed_path</c> carries its (null) value, <c>conflict</c> its kind.</summary>
    private static void WriteWriteError(Utf8JsonWriter json, string tag, string? conflictTag)
    {
        json.WriteStartObject();
        json.WriteString(Tag, tag);
        if (conflictTag is not null)
        {
            json.WritePropertyName(tag);
            WriteTagObject(json, conflictTag);
        }
        else if (tag == "malformed_path")
        {
            json.WriteNull(tag);
        }

        json.WriteEndObject();
    }

    /// <summary>409 for <c>upload_session/append_v2</c>: an <c>UploadSessionLookupError</c> such as <c>incorrect_offset</c>.</summary>
    public static ValueTask<FlushResult> SessionLookupAsync(HttpContext context, string tag, long? correctOffset)
    {
        var json = BeginError(tag + "/..");
        WriteLookupError(json, tag, correctOffset);
        return EndError(json, context, StatusCodes.Status409Conflict);
    }

    /// <summary>409 for <c>upload_session/finish</c>: <c>{".tag":"lookup_failed","lookup_failed":UploadSessionLookupError}</c>.</summary>
    public static ValueTask<FlushResult> FinishLookupAsync(HttpContext context, string tag, long? correctOffset)
    {
        var json = BeginError($"lookup_failed/{tag}/..");
        json.WriteStartObject();
        json.WriteString(Tag, "lookup_failed");
        json.WritePropertyName("lookup_failed");
        WriteLookupError(json, tag, correctOffset);
        json.WriteEndObject();
        return EndError(json, context, StatusCodes.Status409Conflict);
    }

    /// <summary>409 for <c>upload_session/finish</c>: <c>{".tag":"path","path":WriteError}</c>.</summary>
    public static ValueTask<FlushResult> FinishPathAsync(HttpContext context, string writeErrorTag, string? conflictTag)
    {
        var json = BeginError(conflictTag is null ? $"path/{writeErrorTag}/.." : $"path/{writeErrorTag}/{conflictTag}/..");
        json.WriteStartObject();
        json.WriteString(Tag, Path);
        json.WritePropertyName(Path);
        WriteWriteError(json, writeErrorTag, conflictTag);
        json.WriteEndObject();
        return EndError(json, context, StatusCodes.Status409Conflict);
    }

    private static void WriteLookupError(Utf8JsonWriter json, string tag, long? correctOffset)
    {
        json.WriteStartObject();
        json.WriteString(Tag, tag);
        if (correctOffset is { } offset)
        {
            json.WriteNumber("correct_offset", offset);
        }

        json.WriteEndObject();
    }
}
