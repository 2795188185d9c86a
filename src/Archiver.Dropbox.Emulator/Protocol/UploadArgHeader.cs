using System.Text.Json;
using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Reads and validates <c>Dropbox-API-Arg</c> for an upload. The header must be pure ASCII (JSON escapes for the
/// rest), decode as <c>UploadArg</c> JSON, and name a path that starts with <c>/</c>.
/// </summary>
internal static class UploadArgHeader
{
    public const string Name = "Dropbox-API-Arg";

    private const string Prefix = "HTTP header \"Dropbox-API-Arg\": ";

    /// <summary>The parsed argument, or null with the 400 text explaining why not.</summary>
    public static ParsedUploadArg? TryRead(string? header, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(header))
        {
            problem = "Must provide HTTP header \"Dropbox-API-Arg\" or URL parameter \"arg\".";
            return null;
        }

        if (header.AsSpan().ContainsAnyExceptInRange('\x20', '\x7e'))
        {
            problem = Prefix + "contains characters outside printable ASCII; escape them in the JSON as \\uXXXX.";
            return null;
        }

        UploadArg? arg;
        try
        {
            arg = JsonSerializer.Deserialize(header, ProtocolJsonContext.Default.UploadArg);
        }
        catch (JsonException)
        {
            arg = null;
        }

        if (arg is null)
        {
            problem = Prefix + "could not decode input as JSON";
            return null;
        }

        return Validate(arg, out problem);
    }

    /// <summary>Whether the header is present and printable ASCII; null when it is, else the 400 text.</summary>
    public static string? CheckHeader(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return "Must provide HTTP header \"Dropbox-API-Arg\" or URL parameter \"arg\".";
        }

        return header.AsSpan().ContainsAnyExceptInRange('\x20', '\x7e')
            ? Prefix + "contains characters outside printable ASCII; escape them in the JSON as \\uXXXX."
            : null;
    }

    /// <summary>A decoded <c>CommitInfo</c> checked as for an upload.</summary>
    public static ParsedUploadArg? Validate(UploadArg arg, out string? problem)
    {
        problem = null;
        if (arg.Path is not { } path)
        {
            problem = Prefix + "missing required field 'path'";
            return null;
        }

        if (!path.StartsWith('/'))
        {
            problem = path.StartsWith("id:", StringComparison.Ordinal) || path.StartsWith("ns:", StringComparison.Ordinal)
                ? Prefix + $"path: '{path}': the emulator supports only paths starting with '/'"
                : Prefix + $"path: '{path}' did not match pattern '(/(.|[\\r\\n])*)|(ns:[0-9]+(/.*)?)|(id:.*)'";
            return null;
        }

        DateTimeOffset? clientModified = null;
        if (arg.ClientModified is { } text)
        {
            if (!DropboxTimestamp.TryParse(text, out var parsed))
            {
                problem = Prefix + $"client_modified: time data '{text}' does not match format '%Y-%m-%dT%H:%M:%SZ'";
                return null;
            }

            clientModified = parsed;
        }

        return new ParsedUploadArg(path, arg.Mode ?? WriteMode.Add, arg.Autorename, arg.StrictConflict, clientModified, arg.ContentHash);
    }
}
