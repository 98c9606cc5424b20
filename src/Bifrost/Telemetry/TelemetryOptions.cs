using Microsoft.Extensions.Configuration;

namespace Bifrost.Telemetry;

/// <summary>The <c>telemetry</c> section of config.yaml.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "telemetry";

    /// <summary>OTLP collector for traces and metrics (e.g. <c>http://otel-collector:4317</c>). Empty: OTEL_EXPORTER_OTLP_ENDPOINT if set, else no OTLP export.</summary>
    [ConfigurationKeyName("otlp_endpoint")] public string OtlpEndpoint { get; set; } = "";

    /// <summary>grpc | http/protobuf.</summary>
    [ConfigurationKeyName("otlp_protocol")] public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Where Prometheus scrapes; empty disables the endpoint.</summary>
    [ConfigurationKeyName("metrics_path")] public string MetricsPath { get; set; } = "/metrics";

    /// <summary>OpenTelemetry <c>service.name</c> resource attribute.</summary>
    [ConfigurationKeyName("service_name")] public string ServiceName { get; set; } = "bifrost";

    /// <summary>Fraction of new traces recorded (0..1); a sampled parent from Heimdall's traceparent is always followed.</summary>
    [ConfigurationKeyName("trace_sample_ratio")] public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>The OTLP endpoint in force: the configured one, else the standard environment variable.</summary>
    public string? EffectiveOtlpEndpoint(Func<string, string?> environment) =>
        OtlpEndpoint is { Length: > 0 } configured ? configured
        : environment("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } fromEnv ? fromEnv
        : null;
}
