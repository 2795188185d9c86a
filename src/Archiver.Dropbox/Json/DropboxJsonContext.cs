using System.Text.Json.Serialization;
using Archiver.Dropbox.Auth;
using Archiver.Dropbox.Models;

namespace Archiver.Dropbox.Json;

/// <summary>
/// Source-generated JSON for the Dropbox wire format: snake_case names, unknown fields ignored, optional fields
/// left out when unset, <c>.tag</c> accepted anywhere in an object.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    Converters = [typeof(DropboxTimestampConverter), typeof(WriteModeConverter)])]
[JsonSerializable(typeof(UploadArg))]
[JsonSerializable(typeof(UploadSessionStartArg))]
[JsonSerializable(typeof(UploadSessionStartResult))]
[JsonSerializable(typeof(UploadSessionAppendArg))]
[JsonSerializable(typeof(UploadSessionFinishArg))]
[JsonSerializable(typeof(UploadSessionFinishBatchArg))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(GetMetadataArg))]
[JsonSerializable(typeof(ListFolderArg))]
[JsonSerializable(typeof(ListFolderContinueArg))]
[JsonSerializable(typeof(FileMetadata))]
[JsonSerializable(typeof(Metadata))]
[JsonSerializable(typeof(ListFolderResult))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
internal sealed partial class DropboxJsonContext : JsonSerializerContext;
