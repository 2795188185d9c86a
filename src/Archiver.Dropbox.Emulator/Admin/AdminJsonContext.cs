using System.Text.Json;
using System.Text.Json.Serialization;

namespace Archiver.Dropbox.Emulator.Admin;

/// <summary>The admin endpoints speak camelCase JSON, unlike the snake_case Dropbox API.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreateAccountRequest))]
[JsonSerializable(typeof(LimitsRequest))]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(IReadOnlyList<EmulatorFile>))]
[JsonSerializable(typeof(AccountStats))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
