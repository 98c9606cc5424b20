using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text.Json.Nodes;
using Bifrost.Commands;
using Bifrost.Telemetry;
using Bifrost.Tests.Operations;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;

namespace Bifrost.Tests.Telemetry;

/// <summary>
/// End to end on the real broker and PostgreSQL: the `serve` host consumes a request and a poison message, and
/// /metrics shows the counters move (by name and value), the lag gauge per partition, and one trace per request.
/// </summary>
public sealed class PipelineTelemetryTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener? _listener;
    private WebApplication? _app;
    private HttpClient? _http;

    private string RequestTopic => "telemetry.request." + _suffix;

    private string ResultTopic => "telemetry.result." + _suffix;

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == BifrostTracing.PipelineSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);

        var config = new Dictionary<string, string>
        {
            ["kafka:bootstrap_servers"] = TestServices.Kafka,
            ["kafka:group_id"] = "telemetry-test-" + _suffix,
            ["kafka:topics:request"] = RequestTopic,
            ["kafka:topics:result"] = ResultTopic,
            ["kafka:topics:dlq"] = "telemetry.dlq." + _suffix,
            ["kafka:dlq_headers"] = "false",
            ["heimdall:callback_topic"] = ResultTopic,
            ["kafka:consumer:session.timeout.ms"] = "10000",
            ["kafka:consumer:statistics.interval.ms"] = "500",
            ["kafka:producer:enable.idempotence"] = "false",
            ["database:url"] = TestServices.Postgres,
        };
        foreach (var (key, value) in KafkaTestClient.Broker09)
        {
            config["kafka:consumer:" + key] = value;
            config["kafka:producer:" + key] = value;
        }

        _app = TestHost.Build(args: [.. config.Select(kv => $"--{kv.Key}={kv.Value}")]);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _listener?.Dispose();
    }

    [Fact]
    public async Task RequestAndPoison_MoveTheCountersAndTraceOneRequest()
    {
        var before = await _http!.GetStringAsync("/metrics");
        var dlqBefore = Sample(before, "bifrost_dlq_records_total", "error_code=\"INVALID_JSON\"") ?? 0;
        var correlationId = "corr-" + _suffix;
        var request = new JsonObject
        {
            ["request_id"] = "req-" + _suffix, ["log_id"] = 42, ["service_name"] = "checkout", ["environment"] = "prod",
            ["correlation_id"] = correlationId, ["log_content"] = "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms",
        };

        using (var producer = KafkaTestClient.Producer())
        {
            await producer.ProduceAsync(RequestTopic, new Message<string?, string> { Key = "k1", Value = request.ToJsonString() });
            await producer.ProduceAsync(RequestTopic, new Message<string?, string> { Key = "k2", Value = "{not json" });
        }

        var after = await PollMetricsAsync(m =>
            Sample(m, "bifrost_results_published_total", $"messaging_destination_name=\"{ResultTopic}\"") == 1
            && Sample(m, "bifrost_requests_consumed_total", $"messaging_destination_name=\"{RequestTopic}\"") == 2
            && m.Contains($"bifrost_consumer_lag{{", StringComparison.Ordinal) && m.Contains($"messaging_destination_name=\"{RequestTopic}\",messaging_destination_partition_id=", StringComparison.Ordinal));

        Assert.True((Sample(after, "bifrost_dlq_records_total", "error_code=\"INVALID_JSON\"") ?? 0) >= dlqBefore + 1);
        Assert.True(Sample(after, "bifrost_request_latency_seconds_count", "") >= 1);
        Assert.True(Sample(after, "bifrost_analysis_duration_seconds_count", "engine=") >= 1);
        Assert.True(Sample(after, "bifrost_db_operation_duration_seconds_count", "db_system_name=\"postgresql\"") >= 1);
        Assert.Contains("bifrost_analyses_total{", after);

        var root = Assert.Single(_spans, s => Equals(s.GetTagItem(SemanticConventions.CorrelationId), correlationId));
        Assert.Equal($"process {RequestTopic}", root.DisplayName);
        var trace = _spans.Where(s => s.TraceId == root.TraceId).Select(s => s.DisplayName).ToList();
        Assert.Contains("analyze", trace);
        Assert.Contains("store write", trace);
        Assert.Contains($"send {ResultTopic}", trace);
    }

    private async Task<string> PollMetricsAsync(Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        string metrics;
        do
        {
            metrics = await _http!.GetStringAsync("/metrics");
            if (done(metrics))
            {
                return metrics;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"/metrics did not reach the expected values within {Timeout.TotalSeconds}s:\n" +
            string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith("bifrost_", StringComparison.Ordinal) && l.Contains(_suffix, StringComparison.Ordinal))));
        return metrics;
    }

    /// <summary>Sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/>; null when none.</summary>
    private static double? Sample(string exposition, string name, string label)
    {
        var values = exposition.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .ToList();
        return values.Count == 0 ? null : values.Sum();
    }
}
