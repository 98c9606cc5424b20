using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Api;
using Bifrost.Commands;
using Bifrost.Api.Keys;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bifrost.Tests.Api;

/// <summary>
/// The real ASP.NET Core host with the API mapped, listening on 127.0.0.1 (dynamic HTTP port, optional
/// HTTP/2-only gRPC port), over a real database: a fresh SQLite file, or the test PostgreSQL.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _sqliteFile;
    private readonly IAnalysisStore _store;

    private ApiHost(WebApplication app, IAnalysisStore store, string? sqliteFile, Uri http, Uri? grpc)
    {
        _app = app;
        _store = store;
        _sqliteFile = sqliteFile;
        Http = http;
        Grpc = grpc;
    }

    public Uri Http { get; }

    /// <summary>The SQLite file behind this host (null on PostgreSQL).</summary>
    public string? SqliteFile => _sqliteFile;

    /// <summary>The HTTP/2-only (h2c) port, when the host was started with gRPC.</summary>
    public Uri? Grpc { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ApiHost> StartAsync(Dictionary<string, string?>? config = null, string? databaseUrl = null, bool grpc = false)
    {
        string? sqliteFile = null;
        if (databaseUrl is null)
        {
            sqliteFile = Path.Combine(Path.GetTempPath(), $"bifrost-api-{Guid.NewGuid():N}.db");
            databaseUrl = "sqlite:" + sqliteFile;
        }

        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["DATABASE_URL"] = databaseUrl,
            ["LOG_LEVEL"] = Environment.GetEnvironmentVariable("BIFROST_TEST_LOG_LEVEL") ?? "warning",
            ["api__auth"] = "required",
            ["api__key_cache_seconds"] = "0",
            ["api__grpc_port"] = grpc ? FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) : "0",
        };
        foreach (var (k, v) in config ?? []) settings[k.Replace(":", "__", StringComparison.Ordinal)] = v!;

        // The real `bifrost serve` host (configuration, storage, Kafka pipeline when configured, API), on a dynamic port.
        var app = BifrostHost.Build(configFile: null, ["--urls", "http://127.0.0.1:0"], settings);
        await app.StartAsync();
        await app.Services.GetRequiredService<Bifrost.Api.Live.LiveHub>().Listening;
        var store = app.Services.GetRequiredService<IAnalysisStore>();

        var grpcPort = grpc ? int.Parse(settings["api__grpc_port"], System.Globalization.CultureInfo.InvariantCulture) : -1;
        var urls = app.Urls.Select(u => new Uri(u)).ToList();
        var http = urls.First(u => u.Port != grpcPort);
        return new ApiHost(app, store, sqliteFile, http, grpc ? urls.First(u => u.Port == grpcPort) : null);
    }

    /// <summary>A new API key of the given scope, straight from the key store (as `bifrost keys create` does).</summary>
    public async Task<string> CreateKeyAsync(string scope = ApiKeyScopes.Write, string name = "test")
    {
        var (_, key) = await Services.GetRequiredService<ApiKeyStore>().CreateAsync(name, scope, DateTimeOffset.UtcNow, CancellationToken.None);
        return key;
    }

    public HttpClient Client(string? key = null, Version? version = null)
    {
        var client = new HttpClient { BaseAddress = Http, Timeout = TimeSpan.FromSeconds(60) };
        if (version is not null)
        {
            client.DefaultRequestVersion = version;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        if (key is not null) client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    /// <summary>Stops the host as SIGTERM would (idempotent with <see cref="DisposeAsync"/>).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_sqliteFile + suffix);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Requests
{
    public static object Body(string service = "checkout", string log = "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms", string? requestId = null, object? metadata = null) =>
        new { log_content = log, service_name = service, environment = "prod", priority = "high", request_id = requestId, metadata };

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);
}
