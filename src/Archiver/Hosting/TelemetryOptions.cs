using System.ComponentModel.DataAnnotations;

namespace Archiver.Hosting;

/// <summary>Where metrics go (configuration section <c>archiver:telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "archiver:telemetry";

    /// <summary>
    /// An OTLP collector: <c>http://127.0.0.1:4317</c> for gRPC, <c>http://127.0.0.1:4318</c> for http/protobuf
    /// (<c>/v1/metrics</c> is added to a bare address). <value>Unset by default: nothing is exported.</value>
    /// </summary>
    [AbsoluteHttpUri]
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>. <value>The default value is grpc.</value></summary>
    [RegularExpression("^(grpc|http/protobuf)$")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often metrics are exported. <value>The default value is 10 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(10);
}
