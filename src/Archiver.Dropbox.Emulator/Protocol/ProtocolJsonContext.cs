using System.Text.Json.Serialization;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>Source-generated readers for the API's arguments: snake_case, unknown fields ignored.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(UploadArg))]
[JsonSerializable(typeof(GetMetadataArg))]
[JsonSerializable(typeof(ListFolderArg))]
[JsonSerializable(typeof(ListFolderContinueArg))]
[JsonSerializable(typeof(ListCursor))]
[JsonSerializable(typeof(UploadSessionStartArg))]
[JsonSerializable(typeof(UploadSessionAppendArg))]
[JsonSerializable(typeof(UploadSessionFinishArg))]
[JsonSerializable(typeof(UploadSessionFinishBatchArg))]
[JsonSerializable(typeof(PollArg))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
