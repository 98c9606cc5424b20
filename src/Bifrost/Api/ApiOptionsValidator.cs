using Bifrost.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Api;

/// <summary>The <c>api</c> section's checks, each failure one line naming the key.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions o)
    {
        var f = new List<string>();
        if (o.Auth.Trim().ToLowerInvariant() is not ("required" or "disabled" or "auto"))
        {
            f.Add($"api.auth must be required, disabled or auto, not '{o.Auth}'");
        }

        Check.AtLeast(f, "api.max_request_bytes", o.MaxRequestBytes, 1);
        if (o.RateLimitPerWindow > 0)
        {
            Check.Positive(f, "api.rate_limit_window_seconds", o.RateLimitWindowSeconds);
        }

        if (o.GrpcPort is < 0 or > 65535)
        {
            f.Add($"api.grpc_port must be 0 (off) or a port number (got {o.GrpcPort})");
        }

        Check.AtLeast(f, "api.client_buffer", o.ClientBuffer, 1);
        Check.AtLeast(f, "api.stream_max_in_flight", o.StreamMaxInFlight, 1);
        Check.AtLeast(f, "api.background_queue", o.BackgroundQueue, 1);
        Check.AtLeast(f, "api.background_workers", o.BackgroundWorkers, 1);
        Check.AtLeast(f, "api.key_cache_seconds", o.KeyCacheSeconds, 0);
        return Check.Result(f);
    }
}
