using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Auth;

/// <summary>
/// Per-key rate limits: a token bucket per API key (per client address for anonymous callers when keys are
/// not required). Rejections are 429 problem details with <c>Retry-After</c> in seconds.
/// </summary>
public static class RateLimits
{
    public const string PerKey = "per-key";

    public static IServiceCollection AddBifrostRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerKey, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                if (options.RateLimitPerWindow <= 0) return RateLimitPartition.GetNoLimiter("unlimited");
                var key = context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } id && id != "anonymous"
                    ? "key:" + id
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitPerWindow,
                    TokensPerPeriod = options.RateLimitPerWindow,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(options.RateLimitWindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                var options = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? wait
                    : TimeSpan.FromSeconds(options.RateLimitWindowSeconds / Math.Max(1, options.RateLimitPerWindow));
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true) return;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"rate limit of {options.RateLimitPerWindow} requests per {options.RateLimitWindowSeconds:0.###} s exceeded for this API key; retry after {seconds} s",
                    },
                }).ConfigureAwait(false);
            };
        });
        return services;
    }
}
