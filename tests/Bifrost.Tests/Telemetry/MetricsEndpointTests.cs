using System.Net.Http;
using Bifrost.Commands;
using Bifrost.Telemetry;

namespace Bifrost.Tests.Telemetry;

public class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_ServesPrometheusNamesWithUnitsAndChangingValues()
    {
        await using var app = TestHost.Build();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        BifrostMetrics.RequestConsumed("endpoint.test");
        BifrostMetrics.AnalysisCompleted("builtin", "endpoint.test.category", "LOW", 0.002);
        BifrostMetrics.DlqRecord("ENDPOINT_TEST");
        using var inFlight = BifrostMetrics.RegisterInFlight(() => 0);

        var first = await http.GetStringAsync("/metrics");
        BifrostMetrics.RequestConsumed("endpoint.test");
        var second = await http.GetStringAsync("/metrics");
        await app.StopAsync();

        Assert.Contains("bifrost_analysis_duration_seconds_bucket{", first);
        Assert.Equal(1, Sample(first, "bifrost_dlq_records_total", "error_code=\"ENDPOINT_TEST\""));
        Assert.Equal(1, Sample(first, "bifrost_analyses_total", "category=\"endpoint.test.category\""));
        Assert.Contains("\ndotnet_gc_collections_total{", first); // runtime instrumentation
        Assert.Contains("# TYPE bifrost_requests_in_flight gauge", first);
        Assert.Equal(1, Sample(first, "bifrost_requests_consumed_total", "messaging_destination_name=\"endpoint.test\""));
        Assert.Equal(2, Sample(second, "bifrost_requests_consumed_total", "messaging_destination_name=\"endpoint.test\""));
    }

    [Fact]
    public async Task Metrics_NeedsNoApiKeyEvenWhenTheApiRequiresOne()
    {
        // Prometheus scrapes without credentials; the endpoint is protected at the network level instead.
        await using var app = TestHost.Build(args: "--api:auth=required");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var metrics = await http.GetAsync("/metrics");
        using var api = await http.GetAsync("/api/v1/analyses");
        await app.StopAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, api.StatusCode); // the API itself does require the key
    }

    private static double Sample(string exposition, string name, string label)
    {
        var line = exposition.Split('\n').Single(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        // "name{labels} value [timestamp]"
        return double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
