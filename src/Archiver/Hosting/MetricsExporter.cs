using Archiver.Core.Diagnostics;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Archiver.Hosting;

/// <summary>Exports the <c>Archiver</c> meter over OTLP while the node runs, when <c>archiver.telemetry.otlp-endpoint</c> is set.</summary>
internal sealed partial class MetricsExporter(IOptions<TelemetryOptions> options, ILogger<MetricsExporter> logger) : IHostedService, IDisposable
{
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var telemetry = options.Value;
        if (telemetry.OtlpEndpoint is { } endpoint)
        {
            _provider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(ArchiverMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    var grpc = telemetry.OtlpProtocol == "grpc";
                    exporter.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    // Over HTTP the exporter posts to the endpoint as given: a bare collector address gets the metrics path.
                    exporter.Endpoint = !grpc && endpoint.AbsolutePath == "/" ? new Uri(endpoint, "v1/metrics") : endpoint;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)telemetry.ExportInterval.TotalMilliseconds;
                })
                .Build();
            Exporting(logger, UriCredentials.Mask(endpoint));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _provider?.Dispose(); // flushes what was measured last
        _provider = null;
    }

    [LoggerMessage(2201, LogLevel.Information, "Exporting metrics over OTLP to {Endpoint}")]
    private static partial void Exporting(ILogger logger, string endpoint);
}
