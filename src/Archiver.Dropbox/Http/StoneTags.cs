using System.Text.Json;
using Archiver.Dropbox.Errors;

namespace Archiver.Dropbox.Http;

/// <summary>Reads Stone union tags and maps the ones this client acts on; anything unknown becomes "other".</summary>
internal static class StoneTags
{
    /// <summary>A union's tag, given either as <c>"tag"</c> or as <c>{".tag":"tag",…}</c>.</summary>
    public static string? Of(JsonElement union) => union.ValueKind switch
    {
        JsonValueKind.String => union.GetString(),
        JsonValueKind.Object when union.TryGetProperty(".tag", out var tag) && tag.ValueKind == JsonValueKind.String =>
            tag.GetString(),
        _ => null,
    };

    public static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var member) ? member : default;

    public static AuthErrorKind ToAuthErrorKind(string? tag) => tag switch
    {
        "invalid_access_token" => AuthErrorKind.InvalidAccessToken,
        "expired_access_token" => AuthErrorKind.ExpiredAccessToken,
        "missing_scope" => AuthErrorKind.MissingScope,
        "user_suspended" => AuthErrorKind.UserSuspended,
        "invalid_select_user" => AuthErrorKind.InvalidSelectUser,
        "invalid_select_admin" => AuthErrorKind.InvalidSelectAdmin,
        "route_access_denied" => AuthErrorKind.RouteAccessDenied,
        _ => AuthErrorKind.Other,
    };

    public static PathErrorKind ToPathErrorKind(string? tag) => tag switch
    {
        "malformed_path" => PathErrorKind.MalformedPath,
        "conflict" => PathErrorKind.Conflict,
        "no_write_permission" => PathErrorKind.NoWritePermission,
        "insufficient_space" => PathErrorKind.InsufficientSpace,
        "disallowed_name" => PathErrorKind.DisallowedName,
        "team_folder" => PathErrorKind.TeamFolder,
        "operation_suppressed" => PathErrorKind.OperationSuppressed,
        "too_many_write_operations" => PathErrorKind.TooManyWriteOperations,
        "access_restricted" => PathErrorKind.AccessRestricted,
        "not_found" => PathErrorKind.NotFound,
        "not_file" => PathErrorKind.NotFile,
        "not_folder" => PathErrorKind.NotFolder,
        "restricted_content" => PathErrorKind.RestrictedContent,
        "unsupported_content_type" => PathErrorKind.UnsupportedContentType,
        "locked" => PathErrorKind.Locked,
        _ => PathErrorKind.Other,
    };

    public static WriteConflictKind ToConflictKind(string? tag) => tag switch
    {
        "file" => WriteConflictKind.File,
        "folder" => WriteConflictKind.Folder,
        "file_ancestor" => WriteConflictKind.FileAncestor,
        _ => WriteConflictKind.Other,
    };

    public static RateLimitReason ToRateLimitReason(string? tag) =>
        tag == "too_many_write_operations" ? RateLimitReason.TooManyWriteOperations : RateLimitReason.TooManyRequests;

    /// <summary>The kind of an <c>UploadSessionLookupError</c>, or null when the tag is not one.</summary>
    public static UploadSessionErrorKind? ToUploadSessionErrorKind(string? tag) => tag switch
    {
        "not_found" => UploadSessionErrorKind.NotFound,
        "incorrect_offset" => UploadSessionErrorKind.IncorrectOffset,
        "closed" => UploadSessionErrorKind.Closed,
        "not_closed" => UploadSessionErrorKind.NotClosed,
        "too_large" => UploadSessionErrorKind.TooLarge,
        _ => null,
    };
}
