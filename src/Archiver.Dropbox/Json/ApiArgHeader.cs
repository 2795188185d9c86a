using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Archiver.Dropbox.Json;

/// <summary>
/// Builds the <c>Dropbox-API-Arg</c> header value. HTTP headers carry ASCII only, so every character above 0x7E
/// (non-ASCII and DEL) is written as a <c>\uXXXX</c> escape; the default encoder does exactly that, which is why the
/// relaxed one must never be used here.
/// </summary>
internal static class ApiArgHeader
{
    public const string Name = "Dropbox-API-Arg";

    private static readonly JsonSerializerOptions HeaderOptions = new(DropboxJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.Default,
    };

    private static readonly JsonTypeInfo<UploadArg> UploadArgInfo =
        (JsonTypeInfo<UploadArg>)HeaderOptions.GetTypeInfo(typeof(UploadArg));

    public static string Format(UploadArg arg) => JsonSerializer.Serialize(arg, UploadArgInfo);

    public static string Format<T>(T arg) => JsonSerializer.Serialize(arg, (JsonTypeInfo<T>)HeaderOptions.GetTypeInfo(typeof(T)));
}
