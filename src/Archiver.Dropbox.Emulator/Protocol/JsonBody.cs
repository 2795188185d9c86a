using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Writes a JSON response without allocating per request: a per-thread buffer and writer are reused.
/// Usage: <c>var json = JsonBody.Begin();</c>, write the whole document, then <c>await JsonBody.SendAsync(...)</c>;
/// nothing may be awaited between the two, since the buffer belongs to the thread.
/// </summary>
internal static class JsonBody
{
    public const string ContentType = "application/json";

    private const int MaxRetainedBytes = 1024 * 1024;

    /// <summary>Bodies are UTF-8 JSON, not headers, so non-ASCII text may stay as it is.</summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        SkipValidation = true,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Utf8JsonWriter Begin()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>Sends what was written since <see cref="Begin"/> with <c>Content-Type: application/json</c>.</summary>
    public static ValueTask<FlushResult> SendAsync(HttpContext context, int statusCode)
    {
        var buffer = t_buffer!;
        t_writer!.Flush();
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        if (buffer.Capacity > MaxRetainedBytes)
        {
            t_buffer = null;
            t_writer = null;
        }

        return response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
