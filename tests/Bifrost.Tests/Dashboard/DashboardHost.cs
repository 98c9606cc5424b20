using Bifrost.Api.Live;
using Bifrost.Commands;
using Microsoft.AspNetCore.Builder;
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

    private DashboardHost(WebApplication app, Uri baseUrl, TestTopics topics)
    {
        _app = app;
        BaseUrl = baseUrl;
        Topics = topics;
    }

    public TestTopics Topics { get; }

    public Uri BaseUrl { get; }

    public Uri DashboardUrl => new(BaseUrl, "/dashboard/");

    public string RequestTopic => Topics.Request;

    public string ResultTopic => Topics.Result;

    public string DlqTopic => Topics.Dlq;

    public IServiceProvider Services => _app.Services;

    /// <summary>Kafka client properties the 0.9 test broker needs; production config says nothing of the sort.</summary>
    public static IReadOnlyDictionary<string, string> OldBrokerProperties => KafkaTestClient.Broker09;

    /// <param name="topics">Topics to use (make them first and produce to them before starting, so the old broker
    /// has created them when the worker subscribes); default: fresh ones.</param>
    public static async Task<DashboardHost> StartAsync(IReadOnlyDictionary<string, string>? extra = null, TestTopics? topics = null)
    {
        topics ??= TestTopics.New();
        // The pipeline tests' service environment (0.9 broker compatibility as configuration), plus the API's test settings.
        var environment = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, TestServices.Postgres, topics.Request, topics.Result, topics.Dlq);
        environment["api__grpc_port"] = "0";
        environment["api__key_cache_seconds"] = "0";
        environment["LOG_LEVEL"] = Environment.GetEnvironmentVariable("BIFROST_TEST_LOG_LEVEL") ?? "error";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // The real `bifrost serve` host (configuration, storage, Kafka pipeline, API, telemetry, dashboard).
        // The page under test keeps its WebSocket open; don't let a failed test's shutdown wait the default 30 s for it.
        environment["shutdownTimeoutSeconds"] = "3";
        var app = BifrostHost.Build(configFile: null, ["--urls", "http://127.0.0.1:0"], environment);
        await app.StartAsync();
        await app.Services.GetRequiredService<LiveHub>().Listening;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardHost(app, new Uri(address), topics);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
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
