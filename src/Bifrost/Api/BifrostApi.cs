using System.Text.Json;
using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Bifrost.Api.Grpc;
using Bifrost.Api.Health;
using Bifrost.Api.Keys;
using Bifrost.Api.Live;
using Bifrost.Configuration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Bifrost.Api;

/// <summary>
/// The HTTP API, WebSocket and gRPC of <c>bifrost serve</c>, registered with one call each:
/// <c>builder.AddBifrostApi()</c> before <c>Build()</c>, <c>app.MapBifrostApi()</c> after.
/// </summary>
public static class BifrostApi
{
    public static WebApplicationBuilder AddBifrostApi(this WebApplicationBuilder builder)
    {
        var options = builder.AddBifrostSection<ApiOptions, ApiOptionsValidator>(ApiOptions.Section);
        var services = builder.Services;

        ConfigureKestrel(builder, options);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => KeyDatabase.FromOptions(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<AuthMode>();
        services.AddBifrostAuth();
        services.AddBifrostRateLimits();

        services.AddProblemDetails(p => p.CustomizeProblemDetails = Problems.ProblemDefaults.Customize);
        services.AddExceptionHandler<Problems.BadRequestExceptionHandler>();
        services.AddExceptionHandler<Problems.DatabaseExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi(o => o.AddDocumentTransformer<OpenApiSecurity>());

        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, options.MaxRequestBytes);
            o.EnableDetailedErrors = false;
        });
        services.AddGrpcReflection();

        // REST/gRPC results also go to analysis.result when the Kafka pipeline runs (api.publish_results).
        services.TryAddSingleton<IApiResultPublisher>(sp =>
            options.PublishResults && sp.GetService<Bifrost.Messaging.KafkaPublisher>() is { } kafka
                ? ActivatorUtilities.CreateInstance<KafkaResultPublisher>(sp, kafka)
                : new NoResultPublisher());
        services.AddSingleton<ApiAnalysisRunner>();
        services.AddSingleton<BackgroundAnalyses>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundAnalyses>());
        services.AddSingleton<LiveHub>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveHub>());
        services.AddBifrostHealthChecks();
        return builder;
    }

    public static WebApplication MapBifrostApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Bifrost API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));

        var api = app.MapGroup("/api/v1").RequireRateLimiting(RateLimits.PerKey).WithTags("Analysis")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapAnalysisApi();
        api.MapHistoryApi();
        app.MapLiveApi();

        app.MapGrpcService<AnalysisGrpcService>().RequireRateLimiting(RateLimits.PerKey);
        app.MapGrpcReflectionService();

        app.Lifetime.ApplicationStarted.Register(() => ApiStartupLog.Write(app.Services));

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthChecks.Ready), ResponseWriter = WriteHealthAsync });
        return app;
    }

    /// <summary>
    /// Cleartext HTTP/2 needs an HTTP/2-only endpoint (Kestrel cannot sniff prior-knowledge h2c on a mixed
    /// HTTP/1.1+HTTP/2 port), so gRPC gets its own port: <c>api.grpc_port</c>, by default the HTTP port + 1
    /// on the same hosts (http://localhost:8080 → gRPC on localhost:8081). Unset with a dynamic HTTP port
    /// (…:0, as in tests) or 0: no gRPC port.
    /// </summary>
    private static void ConfigureKestrel(WebApplicationBuilder builder, ApiOptions options)
    {
        var urls = (builder.Configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var grpcPort = options.GrpcPort ?? DefaultGrpcPort(urls);
        if (options.GrpcPort is null && grpcPort > 0 && !urls.All(u => PortIsFree(u, grpcPort)))
        {
            // The default (HTTP port + 1) is a convenience: when something else holds it, serve without gRPC
            // rather than fail to start. An explicit api.grpc_port still fails loudly.
            builder.Services.AddSingleton(new GrpcPortChoice(0, SkippedDefault: grpcPort));
            grpcPort = 0;
        }
        else
        {
            builder.Services.AddSingleton(new GrpcPortChoice(grpcPort, SkippedDefault: null));
        }

        if (grpcPort > 0 && urls.Length > 0)
        {
            var grpcUrls = urls.Select(u => GrpcUrl(u, grpcPort)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);
            builder.WebHost.UseUrls([.. urls, .. grpcUrls.Where(g => !urls.Contains(g, StringComparer.OrdinalIgnoreCase))]);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            if (grpcPort > 0)
            {
                kestrel.ConfigureEndpointDefaults(listen =>
                {
                    if (listen.IPEndPoint?.Port == grpcPort) listen.Protocols = HttpProtocols.Http2;
                });
            }
        });
    }

    private static int DefaultGrpcPort(string[] urls)
    {
        var first = urls.Select(Port).FirstOrDefault(p => p is not null);
        return first is > 0 and < 65535 ? first.Value + 1 : 0;
    }

    /// <summary>Whether <paramref name="port"/> can be bound on the host of <paramref name="url"/> right now (loopback for localhost, any for wildcards).</summary>
    private static bool PortIsFree(string url, int port)
    {
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri)) return true;
        var address = uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? System.Net.IPAddress.Loopback
            : System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip
            : null;
        if (address is null) return true; // a host name: let Kestrel decide
        try
        {
            var probe = new System.Net.Sockets.TcpListener(address, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static int? Port(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri.Port : null;

    private static string? GrpcUrl(string url, int port)
    {
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri)) return null;
        var host = url.Contains("://*", StringComparison.Ordinal) ? "*" : url.Contains("://+", StringComparison.Ordinal) ? "+" : uri.Host;
        return $"http://{host}:{port}";
    }

    /// <summary>The gRPC port in use (0 = none) and, when the default was busy, which one was skipped.</summary>
    internal sealed record GrpcPortChoice(int Port, int? SkippedDefault);

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ApiJson.Options));
    }
}
