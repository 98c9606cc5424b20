using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Bifrost.Configuration;
using Bifrost.Telemetry;

// In the hosting namespace (as eShop's ServiceDefaults do) so BifrostHost needs no extra using line.
namespace Microsoft.Extensions.Hosting;

/// <summary>Telemetry wired in one place: <c>builder.AddBifrostTelemetry()</c> then <c>app.MapBifrostTelemetry()</c>.</summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddBifrostTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.AddBifrostSection<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section);
        var otlp = options.EffectiveOtlpEndpoint(Environment.GetEnvironmentVariable);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceVersion: BuildInfo.Version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BifrostMetrics.MeterName, BifrostMetrics.LlmMeterName, BifrostMetrics.PollyMeterName)
                    .AddRuntimeInstrumentation()
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(options.MetricsPath))
                {
                    // No response cache: one Prometheus scrapes every few seconds, and a cached page would
                    // hide a value that changed since (the end-to-end tests read /metrics twice in a row).
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => Configure(o, otlp, options.OtlpProtocol));
                }
            });

        // Spans cost CPU on every request (five per Kafka message); recorded only when there is somewhere to send
        // them. Without an exporter a request's W3C traceparent is still forwarded onto its result unchanged.
        if (otlp is not null)
        {
            otel.WithTracing(tracing =>
            {
                tracing.AddSource(BifrostTracing.PipelineSourceName, BifrostMetrics.LlmMeterName)
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(options.TraceSampleRatio, 0, 1))))
                    // Health probes and scrapes every few seconds would drown the traces that matter.
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !IsProbeOrScrape(ctx.Request.Path, options.MetricsPath))
                    .AddHttpClientInstrumentation()
                    .AddOtlpExporter(o => Configure(o, otlp, options.OtlpProtocol));
            });
        }

        return builder;
    }

    /// <summary>Maps the Prometheus scrape endpoint (default <c>/metrics</c>).</summary>
    public static WebApplication MapBifrostTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<TelemetryOptions>();
        if (!string.IsNullOrEmpty(options.MetricsPath))
        {
            app.MapPrometheusScrapingEndpoint(options.MetricsPath);
        }

        return app;
    }

    private static bool IsProbeOrScrape(PathString path, string metricsPath) =>
        path.StartsWithSegments("/health") || (metricsPath.Length > 0 && path.StartsWithSegments(metricsPath));

    private static void Configure(OtlpExporterOptions exporter, string endpoint, string protocol)
    {
        exporter.Endpoint = new Uri(endpoint);
        exporter.Protocol = protocol.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }
}
