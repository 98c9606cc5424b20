using System.Text.Json.Nodes;

namespace Bifrost.Tests.Deploy;

/// <summary>
/// Grafana publishes no JSON Schema for dashboards; these are the structural rules a provisioned
/// dashboard must meet to load (Grafana rejects or silently drops panels otherwise).
/// </summary>
public class DashboardTests
{
    private static readonly JsonNode Dashboard = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("deploy", "monitoring", "grafana", "dashboards", "bifrost.json")))!;

    private static IEnumerable<JsonNode> Panels => Dashboard["panels"]!.AsArray().Select(p => p!);

    [Fact]
    public void Dashboard_HasTheTopLevelFieldsGrafanaNeeds()
    {
        Assert.Equal("bifrost-overview", (string?)Dashboard["uid"]);
        Assert.False(string.IsNullOrEmpty((string?)Dashboard["title"]));
        Assert.True((int)Dashboard["schemaVersion"]! >= 36);
        Assert.Null(Dashboard["id"]); // provisioning assigns ids; a fixed one collides across Grafanas
        Assert.Null(Dashboard["__inputs"]); // import-only placeholders are not resolved by provisioning
    }

    [Fact]
    public void Panels_HaveUniqueIdsAndValidGridPositions()
    {
        var ids = Panels.Select(p => (int)p["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in Panels)
        {
            var grid = panel["gridPos"]!;
            Assert.InRange((int)grid["x"]!, 0, 23);
            Assert.InRange((int)grid["w"]!, 1, 24 - (int)grid["x"]!);
            Assert.True((int)grid["h"]! > 0 && (int)grid["y"]! >= 0, (string?)panel["title"]);
            Assert.Contains((string?)panel["type"], new[] { "row", "stat", "timeseries", "piechart", "bargauge", "gauge", "table" });
        }
    }

    [Fact]
    public void Queries_UseTheDatasourceVariable()
    {
        var variable = Dashboard["templating"]!["list"]!.AsArray().Single(v => (string?)v!["name"] == "datasource")!;
        Assert.Equal("datasource", (string?)variable["type"]);
        Assert.Equal("prometheus", (string?)variable["query"]);

        foreach (var panel in Panels.Where(p => (string?)p["type"] != "row"))
        {
            Assert.Equal("${datasource}", (string?)panel["datasource"]!["uid"]);
            var targets = panel["targets"]!.AsArray();
            Assert.NotEmpty(targets);
            Assert.All(targets, t =>
            {
                Assert.Equal("${datasource}", (string?)t!["datasource"]!["uid"]);
                Assert.False(string.IsNullOrWhiteSpace((string?)t["expr"]), (string?)panel["title"]);
                Assert.False(string.IsNullOrEmpty((string?)t["refId"]));
            });
        }
    }

    [Fact]
    public void Dashboard_CoversWhatOperatorsAskFor()
    {
        var exprs = string.Join("\n", MetricNames.DashboardExpressions());
        foreach (var metric in new[]
                 {
                     "bifrost_requests_consumed_total", "bifrost_results_published_total", "bifrost_request_latency_seconds_bucket",
                     "bifrost_consumer_lag", "bifrost_dlq_records_total", "bifrost_analyses_total", "bifrost_llm_tokens_total",
                     "bifrost_llm_cache_lookups_total", "bifrost_llm_breaker_state",
                 })
        {
            Assert.Contains(metric, exprs);
        }

        Assert.Contains("histogram_quantile(0.99", exprs);
        Assert.Contains("histogram_quantile(0.50", exprs);
        Assert.Contains("messaging_destination_partition_id", exprs); // lag per partition
    }

    [Fact]
    public void Provisioning_PointsAtTheDashboardFolderAndDatasourceUid()
    {
        var providers = Yaml.Load(RepoPaths.Of("deploy", "monitoring", "grafana", "provisioning", "dashboards", "bifrost.yml"));
        Assert.Equal("/var/lib/grafana/dashboards", (string?)providers["providers"]![0]!["options"]!["path"]);
        var datasources = Yaml.Load(RepoPaths.Of("deploy", "monitoring", "grafana", "provisioning", "datasources", "prometheus.yml"));
        Assert.Equal("prometheus", (string?)datasources["datasources"]![0]!["uid"]);
        Assert.Equal("prometheus", (string?)datasources["datasources"]![0]!["type"]);
    }
}
