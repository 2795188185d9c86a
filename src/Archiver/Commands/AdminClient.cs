using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Archiver.Api;
using Archiver.Hosting;

namespace Archiver.Commands;

/// <summary>
/// The CLI's client for a running node's admin API. The address and token come from <c>--api</c>/<c>--token</c>,
/// else from the same configuration the node reads: <c>archiver.api.token</c> or the generated token file, and the
/// endpoint file the node writes when it starts (its configured bind address and port when there is none).
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    private AdminClient(Uri address, string? token)
    {
        Address = address;
        Token = token;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri Address { get; }

    public string? Token { get; }

    public static AdminClient For(ParseResult result)
    {
        var configuration = CommonOptions.Configuration(result);
        var api = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        var security = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        var address = ExplicitAddress(result.GetValue(ApiConnectionOptions.Api)) ?? FromEndpointFile(api.EffectiveEndpointFile(security)) ?? api.ConfiguredUri;
        return new AdminClient(address, result.GetValue(ApiConnectionOptions.Token) ?? ApiTokens.Find(api, security));
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body, options: ApiJson.Options), ct);

    public Task<JsonElement> PatchAsync(string path, object body, CancellationToken ct) =>
        SendAsync(HttpMethod.Patch, path, JsonContent.Create(body, options: ApiJson.Options), ct);

    public Task<JsonElement> PostLinesAsync(string path, ReadOnlyMemory<byte> lines, CancellationToken ct)
    {
        var content = new ReadOnlyMemoryContent(lines);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson") { CharSet = "utf-8" };
        return SendAsync(HttpMethod.Post, path, content, ct);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiProblemException($"cannot reach the node's API at {Address}: {ex.Message} (is `archiver run` up? see --api)", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement body = default;
            try
            {
                body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ApiProblemException(ProblemText((int)response.StatusCode, body));
            }

            return body;
        }
    }

    /// <summary>An RFC 7807 answer as one line: status, title, detail and each invalid field.</summary>
    private static string ProblemText(int status, JsonElement problem)
    {
        var text = new StringBuilder().Append(status);
        if (problem.ValueKind == JsonValueKind.Object)
        {
            if (problem.TryGetProperty("title", out var title))
            {
                text.Append(' ').Append(title.GetString());
            }

            if (problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                text.Append(": ").Append(detail.GetString());
            }

            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                text.Append(": ").AppendJoin("; ", errors.EnumerateObject().Select(e =>
                    $"{e.Name} {string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString()))}"));
            }
        }

        return text.ToString();
    }

    private static Uri? ExplicitAddress(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            throw new ApiProblemException($"--api '{value}' is not an http(s) address, e.g. http://127.0.0.1:8780.");
        }

        return uri;
    }

    private static Uri? FromEndpointFile(string file)
    {
        try
        {
            return File.Exists(file) && Uri.TryCreate(File.ReadAllText(file).Trim(), UriKind.Absolute, out var uri) ? uri : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
