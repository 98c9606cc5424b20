using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bifrost.Api.Keys;
using Bifrost.Api.Live;
using Bifrost.Commands;
using Bifrost.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests;

/// <summary>
/// The one test fixture for the real `bifrost serve` host in this process: built by <see cref="BifrostHost.Build"/>
/// exactly as the executable builds it, configured only through the given environment (keys as environment
/// variables: <c>section__key</c>), listening on a free loopback port. Three ways in:
/// <see cref="StartAsync"/> (any configuration), <see cref="StartApiAsync"/> (the API over a fresh SQLite file or
/// the test PostgreSQL, keys required) and <see cref="StartPipelineAsync"/> (broker + PostgreSQL, own topics).
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _sqliteFile;

    private TestHost(WebApplication app, string? sqliteFile, TestTopics? topics, int grpcPort)
    {
        _app = app;
        _sqliteFile = sqliteFile;
        Topics = topics ?? TestTopics.New();
        var urls = app.Urls.Select(u => new Uri(u)).ToList();
        Http = urls.First(u => u.Port != grpcPort);
        Grpc = grpcPort > 0 ? urls.First(u => u.Port == grpcPort) : null;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The HTTP/1.1 + HTTP/2 address (REST, WebSocket, dashboard, metrics).</summary>
    public Uri Http { get; }

    /// <summary>The HTTP/2-only (h2c) gRPC address, when started with <c>grpc: true</c>.</summary>
    public Uri? Grpc { get; }

    public Uri DashboardUrl => new(Http, "/dashboard/");

    /// <summary>The SQLite file behind this host (null on PostgreSQL).</summary>
    public string? SqliteFile => _sqliteFile;

    /// <summary>This host's own topics (tests never read each other's messages).</summary>
    public TestTopics Topics { get; }

    public string RequestTopic => Topics.Request;

    public string ResultTopic => Topics.Result;

    public string DlqTopic => Topics.Dlq;

    /// <summary>The host as `bifrost serve` builds it, not started (for tests of configuration and wiring).</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string>? environment = null, string? configFile = null,
        Action<IServiceCollection>? overrideServices = null, params string[] args) =>
        BifrostHost.Build(configFile, ["--urls", "http://127.0.0.1:0", .. args], environment ?? new Dictionary<string, string>(), overrideServices);

    /// <summary>Builds, checks the configuration as `serve` does, starts, and waits until the live feed listens.</summary>
    public static Task<TestHost> StartAsync(IReadOnlyDictionary<string, string>? environment = null, Action<IServiceCollection>? overrideServices = null,
        string? configFile = null, params string[] args) =>
        StartAsync(environment, overrideServices, configFile, args, sqliteFile: null, topics: null);

    /// <summary>
    /// The API with keys required over a fresh SQLite file (or <paramref name="databaseUrl"/>), no Kafka unless
    /// <paramref name="config"/> says so; <paramref name="grpc"/> adds the h2c gRPC port.
    /// </summary>
    public static Task<TestHost> StartApiAsync(Dictionary<string, string?>? config = null, string? databaseUrl = null, bool grpc = false)
    {
        string? sqliteFile = null;
        if (databaseUrl is null)
        {
            sqliteFile = Path.Combine(Path.GetTempPath(), $"bifrost-api-{Guid.NewGuid():N}.db");
            databaseUrl = "sqlite:" + sqliteFile;
        }

        var environment = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["DATABASE_URL"] = databaseUrl,
            ["LOG_LEVEL"] = Environment.GetEnvironmentVariable("BIFROST_TEST_LOG_LEVEL") ?? "warning",
            ["api__auth"] = "required",
            ["api__key_cache_seconds"] = "0",
            ["api__grpc_port"] = grpc ? FreePort().ToString(CultureInfo.InvariantCulture) : "0",
        };
        Overlay(environment, config);
        return StartAsync(environment, null, null, [], sqliteFile, topics: null);
    }

    /// <summary>
    /// The whole service (Kafka pipeline, API, dashboard) against the test broker and PostgreSQL, on
    /// <paramref name="topics"/> (default: fresh ones; create and produce to them first when the old broker must
    /// have them before the worker subscribes).
    /// </summary>
    public static Task<TestHost> StartPipelineAsync(IReadOnlyDictionary<string, string>? extra = null, TestTopics? topics = null)
    {
        topics ??= TestTopics.New();
        var environment = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, TestServices.Postgres, topics.Request, topics.Result, topics.Dlq);
        environment["api__grpc_port"] = "0";
        environment["api__key_cache_seconds"] = "0";
        environment["LOG_LEVEL"] = Environment.GetEnvironmentVariable("BIFROST_TEST_LOG_LEVEL") ?? "error";
        // A page under test keeps its WebSocket open; a failed test's shutdown need not wait the default 30 s for it.
        environment["shutdownTimeoutSeconds"] = "3";
        Overlay(environment, extra?.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
        return StartAsync(environment, null, null, [], sqliteFile: null, topics);
    }

    private static async Task<TestHost> StartAsync(IReadOnlyDictionary<string, string>? environment, Action<IServiceCollection>? overrideServices,
        string? configFile, string[] args, string? sqliteFile, TestTopics? topics)
    {
        var app = Build(environment, configFile, overrideServices, args);
        ConfigurationCheck.Run(app.Services);
        await app.StartAsync();
        await app.Services.GetRequiredService<LiveHub>().Listening;
        var grpcPort = environment is not null && environment.TryGetValue("api__grpc_port", out var port) ? int.Parse(port, CultureInfo.InvariantCulture) : 0;
        return new TestHost(app, sqliteFile, topics, grpcPort);
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

    /// <summary>Test settings written as configuration keys (<c>api:auth</c>) or environment keys (<c>api__auth</c>).</summary>
    private static void Overlay(Dictionary<string, string> environment, Dictionary<string, string?>? settings)
    {
        foreach (var (key, value) in settings ?? [])
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Per-test topic names: tests never read each other's messages.</summary>
internal sealed record TestTopics(string Suffix)
{
    public static TestTopics New() => new(Guid.NewGuid().ToString("N")[..10]);

    public string Request => "analysis.request." + Suffix;

    public string Result => "analysis.result." + Suffix;

    public string Dlq => "dlq.failed." + Suffix;
}
