using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Archiver.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Api.Tests;

public sealed class MetricsExportTests
{
    [Fact]
    public async Task WithAnOtlpEndpoint_TheNodeExportsTheArchiverMeterTaggedByCustomer()
    {
        var received = new ConcurrentQueue<byte[]>();
        await using var collector = await StartCollectorAsync(received);
        var address = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        await using var node = await ApiNode.StartAsync(new Dictionary<string, string?>
        {
            ["archiver:telemetry:otlpendpoint"] = address,
            ["archiver:telemetry:otlpprotocol"] = "http/protobuf",
            ["archiver:telemetry:exportinterval"] = "00:00:01",
        });
        await node.AddCustomerAsync("otlp-acme");

        await node.SendAsync(HttpMethod.Post, "/api/v1/items", ApiNode.Item("otlp-acme", "call-1", node.ContentFile("call-1.wav")));

        await Eventually.TrueAsync(() => received.Any(body =>
            {
                var text = Encoding.UTF8.GetString(body);
                return text.Contains("archiver.items.archived", StringComparison.Ordinal) && text.Contains("otlp-acme", StringComparison.Ordinal);
            }), "the collector receives archiver.items.archived for the customer", TimeSpan.FromSeconds(20));
    }

    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<byte[]> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
