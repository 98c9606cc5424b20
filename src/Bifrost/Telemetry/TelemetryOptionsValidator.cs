using System.Globalization;
using Bifrost.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Telemetry;

/// <summary>The <c>telemetry</c> section's checks, each failure one line naming the key.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions o)
    {
        var f = new List<string>();
        if (o.OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            f.Add($"telemetry.otlp_protocol must be grpc or http/protobuf (got \"{o.OtlpProtocol}\")");
        }

        if (o.OtlpEndpoint.Length > 0 && !Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _))
        {
            f.Add($"telemetry.otlp_endpoint must be an absolute URL (got \"{o.OtlpEndpoint}\")");
        }

        if (o.MetricsPath.Length > 0 && !o.MetricsPath.StartsWith('/'))
        {
            f.Add($"telemetry.metrics_path must start with / or be empty (got \"{o.MetricsPath}\")");
        }

        if (o.TraceSampleRatio is < 0 or > 1 || double.IsNaN(o.TraceSampleRatio))
        {
            f.Add($"telemetry.trace_sample_ratio must be between 0 and 1 (got {o.TraceSampleRatio.ToString(CultureInfo.InvariantCulture)})");
        }

        Check.NotEmpty(f, "telemetry.service_name", o.ServiceName);
        return Check.Result(f);
    }
}
