using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Api;
using Bifrost.Api.Live;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Dashboard;

/// <summary>
/// The real `serve` host, in-process on a free loopback port, configured like `bifrost serve --key=value ...`
/// against the Kafka broker and PostgreSQL from <see cref="TestServices"/>. Each host gets its own topics so
/// tests never see each other's messages.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardHost(WebApplication app, Uri baseUrl, string suffix)
    {
        _app = app;
        BaseUrl = baseUrl;
        RequestTopic = "analysis.request." + suffix;
        ResultTopic = "analysis.result." + suffix;
        DlqTopic = "dlq.failed." + suffix;
    }

    public Uri BaseUrl { get; }

    public Uri DashboardUrl => new(BaseUrl, "/dashboard/");

    public string RequestTopic { get; }

    public string ResultTopic { get; }

    public string DlqTopic { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Kafka client properties the 0.9 test broker needs; production config says nothing of the sort.</summary>
    public static readonly IReadOnlyDictionary<string, string> OldBrokerProperties = new Dictionary<string, string>
    {
        ["api.version.request"] = "false",
        ["broker.version.fallback"] = "0.9.0.1",
    };

    public static async Task<DashboardHost> StartAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var config = new Dictionary<string, string>
        {
            ["kafka:bootstrap_servers"] = TestServices.Kafka,
            ["kafka:group_id"] = "bifrost-dashboard-test-" + suffix,
            ["kafka:topics:request"] = "analysis.request." + suffix,
            ["kafka:topics:result"] = "analysis.result." + suffix,
            ["kafka:topics:dlq"] = "dlq.failed." + suffix,
            ["heimdall:callback_topic"] = "analysis.result." + suffix,
            ["kafka:consumer:session.timeout.ms"] = "10000",
            ["database:url"] = TestServices.Postgres,
            ["api:grpc_port"] = "0",
            ["api:key_cache_seconds"] = "0",
        };
        foreach (var (key, value) in OldBrokerProperties)
        {
            config["kafka:consumer:" + key] = value;
            config["kafka:producer:" + key] = value;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            config[key] = value;
        }

        var app = await BuildAsync(config);
        await app.StartAsync();
        await app.Services.GetRequiredService<LiveHub>().Listening;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardHost(app, new Uri(address), suffix);
    }

    /// <summary>
    /// The `serve` host's capabilities (pipeline services, API, telemetry, dashboard) as BifrostHost wires them.
    /// TODO(lead): switch to BifrostHost.Build once the pipeline registers itself there.
    /// </summary>
    private static async Task<WebApplication> BuildAsync(Dictionary<string, string> config)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(config.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // The page under test keeps its WebSocket open; don't let shutdown wait the default 30 s for it.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var store = DatabaseUrl.CreateStore(config["database:url"]);
        await store.MigrateAsync(CancellationToken.None);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new StoreWriteBatcher(store));
        builder.Services.AddSingleton<IAnalysisEvents, AnalysisEvents>();
        builder.Services.AddSingleton<AnalysisPipeline>();
        builder.Services.AddSingleton<LogAnalyzer>();
        builder.Services.AddSingleton<IAnalyzer, BuiltinAnalyzer>();
        builder.AddBifrostApi();
        builder.AddBifrostTelemetry();

        var app = builder.Build();
        app.MapBifrostTelemetry();
        app.MapBifrostApi();
        app.MapBifrostDashboard();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
