using Bifrost.Api.Auth;
using Microsoft.Extensions.Options;

namespace Bifrost.Api;

/// <summary>One line at start-up saying how the API is exposed: key requirement and the gRPC port.</summary>
internal static partial class ApiStartupLog
{
    public static void Write(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Bifrost.Api");
        var options = services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var required = services.GetRequiredService<AuthMode>().KeyRequired;
        LogExposure(logger, required ? "required" : "not required", options.Auth, options.RateLimitPerWindow, options.RateLimitWindowSeconds);
        if (services.GetService<BifrostApi.GrpcPortChoice>() is { SkippedDefault: { } skipped }) LogGrpcSkipped(logger, skipped);
    }

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "gRPC not served: its default port {Port} (HTTP port + 1) is in use; set api.grpc_port to choose one")]
    private static partial void LogGrpcSkipped(ILogger logger, int port);

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "API ready: keys {Required} (api.auth={Mode}); rate limit {Permits} per {WindowSeconds}s per key; OpenAPI at /openapi/v1.json, reference at /docs, WebSocket at /ws")]
    private static partial void LogExposure(ILogger logger, string required, string mode, int permits, double windowSeconds);
}
