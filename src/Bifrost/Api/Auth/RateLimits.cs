using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Auth;

/// <summary>
/// Per-key rate limits: a token bucket per API key (per client address for anonymous callers when keys are
/// not required). Rejections are 429 problem details with <c>Retry-After</c> in seconds (gRPC: RESOURCE_EXHAUSTED).
/// The buckets live in <see cref="CallerRateLimiter"/>, so work that arrives inside one request — each message of
/// an <c>AnalyzeStream</c> call — draws from the same bucket as separate requests would.
/// </summary>
public static class RateLimits
{
    public const string PerKey = "per-key";

    public static IServiceCollection AddBifrostRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<CallerRateLimiter>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerKey, context =>
            {
                var buckets = context.RequestServices.GetRequiredService<CallerRateLimiter>();
                if (!buckets.Enabled) return RateLimitPartition.GetNoLimiter("unlimited");
                var partition = CallerRateLimiter.PartitionOf(context);
                return RateLimitPartition.Get(partition, key => new Borrowed(buckets.For(key)));
            });
            limiter.OnRejected = async (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                var buckets = http.RequestServices.GetRequiredService<CallerRateLimiter>();
                var seconds = buckets.RetryAfterSeconds(rejected.Lease);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (GrpcStatusResponse.IsGrpc(http.Request))
                {
                    await GrpcStatusResponse.WriteAsync(http, global::Grpc.Core.StatusCode.ResourceExhausted, buckets.Describe(seconds)).ConfigureAwait(false);
                    return;
                }

                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = buckets.Describe(seconds),
                    },
                }).ConfigureAwait(false);
            };
        });
        return services;
    }

    /// <summary>The middleware's view of a shared bucket: it may dispose its partition when idle, never the bucket.</summary>
    private sealed class Borrowed(RateLimiter bucket) : RateLimiter
    {
        public override TimeSpan? IdleDuration => bucket.IdleDuration;

        public override RateLimiterStatistics? GetStatistics() => bucket.GetStatistics();

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => bucket.AttemptAcquire(permitCount);

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            bucket.AcquireAsync(permitCount, cancellationToken);
    }
}

/// <summary>One token bucket per caller (<c>api.rate_limit_per_window</c> per <c>api.rate_limit_window_seconds</c>).</summary>
public sealed class CallerRateLimiter(IOptions<ApiOptions> options) : IDisposable
{
    private readonly ApiOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);

    public bool Enabled => _options.RateLimitPerWindow > 0;

    /// <summary>The bucket a request draws from: its API key, or its client address when it came without one.</summary>
    public static string PartitionOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } id && id != ApiCaller.Anonymous
            ? "key:" + id
            : "ip:" + context.Connection.RemoteIpAddress;
    }

    public RateLimiter For(string partition) => _buckets.GetOrAdd(partition, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = _options.RateLimitPerWindow,
        TokensPerPeriod = _options.RateLimitPerWindow,
        ReplenishmentPeriod = TimeSpan.FromSeconds(_options.RateLimitWindowSeconds),
        QueueLimit = 0,
        AutoReplenishment = true,
    }));

    /// <summary>
    /// Takes one token for a unit of work inside a request already admitted (a stream message); false, with how long
    /// to wait, when the caller's bucket is empty.
    /// </summary>
    public bool TryAcquire(HttpContext context, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (!Enabled) return true;
        using var lease = For(PartitionOf(context)).AttemptAcquire(1);
        if (lease.IsAcquired) return true;
        retryAfterSeconds = RetryAfterSeconds(lease);
        return false;
    }

    public int RetryAfterSeconds(RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : TimeSpan.FromSeconds(_options.RateLimitWindowSeconds / Math.Max(1, _options.RateLimitPerWindow));
        return Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
    }

    public string Describe(int retryAfterSeconds) =>
        $"rate limit of {_options.RateLimitPerWindow} requests per {_options.RateLimitWindowSeconds:0.###} s exceeded for this API key; retry after {retryAfterSeconds} s";

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values) bucket.Dispose();
        _buckets.Clear();
    }
}
