using Microsoft.Extensions.Configuration;

namespace Bifrost.Api;

/// <summary>The <c>api</c> section of config.yaml: HTTP, WebSocket and gRPC behaviour.</summary>
public sealed class ApiOptions
{
    public const string Section = "api";

    /// <summary>
    /// required | disabled | auto. auto (default) requires an API key as soon as the server listens on a
    /// non-loopback address, and lets loopback-only development servers run without one.
    /// </summary>
    [ConfigurationKeyName("auth")] public string Auth { get; set; } = "auto";

    /// <summary>Largest request body accepted by REST endpoints; larger ones get 413.</summary>
    [ConfigurationKeyName("max_request_bytes")] public long MaxRequestBytes { get; set; } = 1_048_576;

    /// <summary>Requests each API key may make per <see cref="RateLimitWindowSeconds"/> (token bucket). 0 disables.</summary>
    [ConfigurationKeyName("rate_limit_per_window")] public int RateLimitPerWindow { get; set; } = 600;

    [ConfigurationKeyName("rate_limit_window_seconds")] public double RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>Publish results of REST/gRPC analyses to <c>analysis.result</c> when Kafka is enabled.</summary>
    [ConfigurationKeyName("publish_results")] public bool PublishResults { get; set; } = true;

    /// <summary>Events buffered per WebSocket/Watch client before the oldest are dropped (with a notice).</summary>
    [ConfigurationKeyName("client_buffer")] public int ClientBuffer { get; set; } = 256;

    /// <summary>Analyses and services one WebSocket connection may subscribe to at once; more get an error reply.</summary>
    [ConfigurationKeyName("max_subscriptions")] public int MaxSubscriptions { get; set; } = 1000;

    /// <summary>Analyses one AnalyzeStream call keeps in flight; more requests wait (HTTP/2 flow control pushes back).</summary>
    [ConfigurationKeyName("stream_max_in_flight")] public int StreamMaxInFlight { get; set; } = 64;

    /// <summary>
    /// Port serving gRPC over cleartext HTTP/2 (h2c, HTTP/2 only) on the same hosts as the HTTP API: Kestrel
    /// cannot detect prior-knowledge HTTP/2 on a cleartext HTTP/1.1 port, so gRPC needs its own. 0 = none;
    /// unset = the HTTP port + 1 (none when the HTTP port is dynamic).
    /// </summary>
    [ConfigurationKeyName("grpc_port")] public int? GrpcPort { get; set; }

    /// <summary>Accepted REST requests waiting for analysis; when full, <c>POST /api/v1/analysis/request</c> answers 503.</summary>
    [ConfigurationKeyName("background_queue")] public int BackgroundQueue { get; set; } = 10_000;

    /// <summary>Accepted REST requests analysed concurrently.</summary>
    [ConfigurationKeyName("background_workers")] public int BackgroundWorkers { get; set; } = 8;

    /// <summary>How long a verified API key is trusted before the store is asked again (revocation delay).</summary>
    [ConfigurationKeyName("key_cache_seconds")] public double KeyCacheSeconds { get; set; } = 5;
}
