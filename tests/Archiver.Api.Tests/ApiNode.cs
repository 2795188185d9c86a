using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Archiver.Api;
using Archiver.Core.Storage;
using Archiver.Core.Uploads;
using Archiver.Hosting;
using Archiver.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Archiver.Api.Tests;

/// <summary>
/// A real node (store, pipeline, admin API on Kestrel at 127.0.0.1:0) in its own directory, uploading into an
/// in-memory Dropbox, with an HTTP client that carries its token.
/// </summary>
public sealed class ApiNode : IAsyncDisposable
{
    public const string Token = "test-api-token";

    private ApiNode(string work, WebApplication app, FakeUploadTarget dropbox)
    {
        Work = work;
        App = app;
        Dropbox = dropbox;
        Address = NodeHost.ApiAddress(app) ?? throw new InvalidOperationException("The API did not report its address.");
        Client = new HttpClient { BaseAddress = Address };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public string Work { get; }

    public string Content => Path.Combine(Work, "content");

    public WebApplication App { get; }

    public FakeUploadTarget Dropbox { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<ApiNode> StartAsync(
        IDictionary<string, string?>? settings = null,
        bool withToken = true,
        Func<IArchiveStore, IArchiveStore>? wrapStore = null,
        Action<IServiceCollection>? configure = null)
    {
        var work = Directory.CreateTempSubdirectory("archiver-api-").FullName;
        Directory.CreateDirectory(Path.Combine(work, "content"));
        var values = new Dictionary<string, string?>
        {
            ["archiver:storage:sqlitepath"] = Path.Combine(work, "archiver.db"),
            ["archiver:security:tokenkeyfile"] = Path.Combine(work, "token.key"),
            ["archiver:content:roots:0"] = Path.Combine(work, "content"),
            ["archiver:node:nodeid"] = "api-test-node",
            ["archiver:node:refreshinterval"] = "00:00:00.100",
            ["archiver:api:port"] = "0",
            ["archiver:pipeline:retrybasedelay"] = "00:00:00.050",
        };
        if (withToken)
        {
            values["archiver:api:token"] = Token;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var dropbox = new FakeUploadTarget();
        var app = NodeHost.BuildNode(
            new ConfigurationBuilder().AddInMemoryCollection(values).Build(),
            services =>
            {
                services.Replace(ServiceDescriptor.Singleton<IUploadTarget>(dropbox));
                if (wrapStore is not null)
                {
                    var real = services.Single(d => d.ServiceType == typeof(IArchiveStore)).ImplementationFactory!;
                    services.Replace(ServiceDescriptor.Singleton(sp => wrapStore((IArchiveStore)real(sp))));
                }

                configure?.Invoke(services);
            },
            Microsoft.Extensions.Logging.LogLevel.Warning);
        await app.StartAsync();
        return new ApiNode(work, app, dropbox);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? json = null, string? raw = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (raw is not null)
        {
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        }
        else if (json is not null)
        {
            request.Content = JsonContent.Create(json, options: ApiJson.Options);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task AddCustomerAsync(string id, string token = "sl.secret-dropbox-token", double? rate = null)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/customers", new { id, accessToken = token, ratePerSecond = rate });
        Assert.True(status == 201, body.ToString());
    }

    public string ContentFile(string name, int bytes = 1024)
    {
        var path = Path.Combine(Content, name);
        File.WriteAllBytes(path, new byte[bytes]);
        return path;
    }

    public static object Item(string customer, string externalId, string source) => new
    {
        customer,
        externalId,
        kind = "CallRecording",
        source,
        occurredAt = "2026-11-24T10:00:00Z",
        from = "+15550100",
        to = "+15550199",
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }
}
