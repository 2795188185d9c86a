using System.Text.Json.Serialization;
using Archiver.Dropbox.Auth;
using Archiver.Dropbox.Models;

namespace Archiver.Dropbox.Json;

/// <summary>
/// Source-generated JSON for the Dropbox wire format: snake_case names, unknown fields (a batch entry's <c>.tag</c>
/// among them) ignored, optional fields left out when unset.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(DropboxTimestampConverter), typeof(WriteModeConverter)])]
[JsonSerializable(typeof(UploadArg))]
[JsonSerializable(typeof(UploadSessionStartArg))]
[JsonSerializable(typeof(UploadSessionStartResult))]
[JsonSerializable(typeof(UploadSessionAppendArg))]
[JsonSerializable(typeof(UploadSessionFinishArg))]
[JsonSerializable(typeof(UploadSessionFinishBatchArg))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(FileMetadata))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
internal sealed partial class DropboxJsonContext : JsonSerializerContext;
