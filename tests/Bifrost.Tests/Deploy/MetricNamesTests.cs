using System.Net.Http;
using Bifrost.Commands;
using Bifrost.Llm;
using Bifrost.Telemetry;

namespace Bifrost.Tests.Deploy;

public class MetricNamesTests
{
    [Fact]
    public async Task DashboardAndAlerts_UseOnlyMetricsThatMetricsExposes()
    {
        await using var app = TestHost.Build();
        await app.StartAsync();
        RecordEveryInstrumentOnce();
        // The LLM meter's instruments, recorded the way the LLM analyzers record them.
        var llm = new LlmMetrics("ollama", "mistral");
        llm.Call("ok");
        llm.TokensUsed(20, 10);
        llm.CacheLookup(hit: true);
        llm.Fallback("timeout");
        llm.BreakerChanged(BreakerState.Closed);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var exposition = await http.GetStringAsync("/metrics");
        await app.StopAsync();

        var exported = exposition.Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2])
            .ToHashSet();
        var referenced = MetricNames.Referenced(MetricNames.DashboardExpressions().Concat(MetricNames.AlertRules().Select(r => (string)r["expr"]!)));

        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.True(exported.Contains(name), $"{name} is used by the dashboard or an alert but /metrics has no such metric"));
    }

    private static void RecordEveryInstrumentOnce()
    {
        BifrostMetrics.RequestConsumed("names.test");
        BifrostMetrics.ResultPublished("names.test", DateTimeOffset.UtcNow);
        BifrostMetrics.DlqRecord("NAMES_TEST");
        BifrostMetrics.AnalysisCompleted("builtin", "names.test", "LOW", 0.001);
        BifrostMetrics.Retry("store");
        BifrostMetrics.DbOperation("insert", "postgresql", 0.002);
        BifrostMetrics.ConsumerStatistics("{\"topics\":{\"names.test\":{\"partitions\":{\"0\":{\"consumer_lag\":3}}}}}");
        Bifrost.Notifications.NotificationMetrics.SetBacklog(["names-test"], []);
        Bifrost.Notifications.NotificationMetrics.Delivered("names-test", "new");
        Bifrost.Notifications.NotificationMetrics.Failed("names-test", rejected: false);
    }
}
