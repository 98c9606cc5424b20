using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bifrost.Telemetry;

/// <summary>
/// Every Bifrost metric, defined once. Call sites record with one line (<c>BifrostMetrics.RequestConsumed(topic)</c>).
/// Names follow the OpenTelemetry conventions (dotted, unit in <c>unit</c>, not in the name); the Prometheus
/// exporter turns <c>bifrost.analysis.duration</c> + unit <c>s</c> into <c>bifrost_analysis_duration_seconds</c> and
/// adds <c>_total</c> to counters. Tag keys reuse semantic-convention names where one exists.
/// </summary>
public static class BifrostMetrics
{
    public const string MeterName = "Bifrost";

    /// <summary>The LLM analyzers' meter (calls, tokens, cache lookups, fallbacks, breaker state); its instruments are defined below.</summary>
    public const string LlmMeterName = "Bifrost.Llm";

    /// <summary>Polly's resilience events (retries, breaker transitions) for the LLM pipeline.</summary>
    public const string PollyMeterName = "Polly";

    // Seconds-scale buckets: the default OTel buckets (0..10000) are for milliseconds and would put every
    // analysis in the first bucket. Built-in analyses take ~1 ms, LLM calls seconds, timeouts tens of seconds.
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    internal static readonly Meter Meter = new(MeterName, BuildInfo.Version);
    internal static readonly Meter LlmMeter = new(LlmMeterName, BuildInfo.Version);

    private static readonly Counter<long> RequestsConsumed = Meter.CreateCounter<long>(
        "bifrost.requests.consumed", "{request}", "Analysis requests read from Kafka.");

    private static readonly Counter<long> ResultsPublished = Meter.CreateCounter<long>(
        "bifrost.results.published", "{result}", "Analysis results acknowledged by the broker.");

    private static readonly Counter<long> DlqRecords = Meter.CreateCounter<long>(
        "bifrost.dlq.records", "{record}", "Records acknowledged on the dead-letter topic, by error_code.");

    private static readonly Counter<long> Analyses = Meter.CreateCounter<long>(
        "bifrost.analyses", "{analysis}", "Completed analyses by engine, taxonomy category and severity.");

    private static readonly Histogram<double> AnalysisDuration = Meter.CreateHistogram(
        "bifrost.analysis.duration", "s", "Time spent in the analyzer for one request.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Histogram<double> RequestLatency = Meter.CreateHistogram(
        "bifrost.request.latency", "s", "From the request's Kafka timestamp to the broker acknowledging its result.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "bifrost.retries", "{retry}", "Retried attempts after a transient failure, by stage (analyze, store, publish).");

    private static readonly Counter<long> BuiltinCacheLookups = Meter.CreateCounter<long>(
        "bifrost.analysis.builtin_cache.lookups", "{lookup}", "Built-in engine answer cache lookups, by result (hit, miss).");

    private static readonly KeyValuePair<string, object?> Hit = new("result", "hit");
    private static readonly KeyValuePair<string, object?> Miss = new("result", "miss");

    private static readonly Histogram<double> DbDuration = Meter.CreateHistogram(
        "bifrost.db.operation.duration", "s", "Analysis store operation latency.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Latest librdkafka consumer lag per partition; fed by <see cref="ConsumerStatistics"/>.</summary>
    public static KafkaLagSnapshot Lag { get; } = new();

    /// <summary>Sources of the in-flight gauge (one per running Kafka worker), summed at scrape time.</summary>
    public static InFlightSources InFlight { get; } = new();

    private static readonly Counter<long> LlmCalls = LlmMeter.CreateCounter<long>(
        "bifrost.llm.calls", "{call}", "LLM requests sent, by provider, model and outcome (ok, error, timeout, rejected).");

    private static readonly Counter<long> LlmTokens = LlmMeter.CreateCounter<long>(
        "bifrost.llm.tokens", "{token}", "LLM tokens spent, by model and type (input, output).");

    private static readonly Counter<long> LlmCacheLookups = LlmMeter.CreateCounter<long>(
        "bifrost.llm.cache.lookups", "{lookup}", "LLM answer cache lookups, by result (hit, miss).");

    private static readonly Counter<long> LlmFallbacks = LlmMeter.CreateCounter<long>(
        "bifrost.llm.fallbacks", "{fallback}", "Analyses that wanted an LLM but used the built-in engine, by reason.");

    /// <summary>Circuit breaker state per LLM provider (0 closed, 1 half-open, 2 open).</summary>
    public static LlmBreakerStates Breakers { get; } = new();

    static BifrostMetrics()
    {
        LlmMeter.CreateObservableGauge("bifrost.llm.breaker.state", Breakers.Observe, "{state}",
            "LLM circuit breaker: 0 closed, 1 half-open, 2 open.");
        Meter.CreateObservableGauge("bifrost.consumer.lag", Lag.Observe, "{message}",
            "Messages between the partition's high watermark and the consumer group's position (librdkafka consumer_lag).");
        Meter.CreateObservableGauge("bifrost.requests.in_flight", InFlight.Observe, "{request}",
            "Requests consumed whose result or DLQ record is not acknowledged yet.");
    }

    public static void RequestConsumed(string topic) =>
        RequestsConsumed.Add(1, new KeyValuePair<string, object?>(SemanticConventions.MessagingDestinationName, topic));

    /// <param name="requestTimestamp">The request record's Kafka timestamp (or the request's own); null skips the latency.</param>
    public static void ResultPublished(string topic, DateTimeOffset? requestTimestamp = null)
    {
        ResultsPublished.Add(1, new KeyValuePair<string, object?>(SemanticConventions.MessagingDestinationName, topic));
        if (requestTimestamp is { } sent)
        {
            RequestLatency.Record(Math.Max(0, (DateTimeOffset.UtcNow - sent).TotalSeconds));
        }
    }

    /// <summary>
    /// Latency from the request record's Kafka timestamp, or from <paramref name="receivedAt"/> when the record has
    /// none (brokers before 0.10 keep no timestamps; the time the request waited in the topic is then not included).
    /// </summary>
    public static void ResultPublished(string topic, Confluent.Kafka.Timestamp requestRecordTimestamp, DateTimeOffset receivedAt) =>
        ResultPublished(topic, requestRecordTimestamp.Type == Confluent.Kafka.TimestampType.NotAvailable ? receivedAt : DateTimeOffset.FromUnixTimeMilliseconds(requestRecordTimestamp.UnixTimestampMs));

    public static void DlqRecord(string errorCode) =>
        DlqRecords.Add(1, new KeyValuePair<string, object?>("error_code", errorCode));

    /// <param name="engine">builtin | llm | hybrid.</param>
    /// <param name="category">Taxonomy id.</param>
    /// <param name="severity">LOW | MEDIUM | HIGH | CRITICAL.</param>
    /// <param name="span">The analyse span, if any: tagged with the same engine/category/severity.</param>
    public static void AnalysisCompleted(string engine, string category, string severity, double durationSeconds, Activity? span = null)
    {
        BifrostTracing.SetOutcome(span, engine, category, severity);
        var tags = new TagList { { "engine", engine }, { "category", category }, { "severity", severity } };
        Analyses.Add(1, tags);
        AnalysisDuration.Record(durationSeconds, new KeyValuePair<string, object?>("engine", engine));
    }

    /// <summary><c>using var _ = BifrostMetrics.RegisterInFlight(() => InFlight);</c> for as long as a worker runs.</summary>
    public static IDisposable RegisterInFlight(Func<long> current) => InFlight.Add(current);

    public static void BuiltinCache(bool hit) => BuiltinCacheLookups.Add(1, hit ? Hit : Miss);

    public static void Retry(string stage) => Retries.Add(1, new KeyValuePair<string, object?>("stage", stage));

    /// <param name="operation">e.g. insert, update, select, migrate.</param>
    /// <param name="system">postgresql | sqlite.</param>
    public static void DbOperation(string operation, string system, double durationSeconds) =>
        DbDuration.Record(durationSeconds, new TagList { { "db.operation.name", operation }, { "db.system.name", system } });

    /// <summary>Times a database call: <c>using (BifrostMetrics.TimeDb("insert", "postgresql")) { ... }</c>.</summary>
    public static DbTimer TimeDb(string operation, string system) => new(operation, system, Stopwatch.GetTimestamp());

    /// <summary>Hand this to <c>ConsumerBuilder.SetStatisticsHandler((_, json) => BifrostMetrics.ConsumerStatistics(json))</c>.</summary>
    public static void ConsumerStatistics(string statisticsJson) => Lag.Update(KafkaStatisticsLag.Parse(statisticsJson));

    public readonly struct DbTimer(string operation, string system, long started) : IDisposable
    {
        public void Dispose() => DbOperation(operation, system, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
    /// <param name="outcome">ok | error | timeout | rejected.</param>
    public static void LlmCall(string provider, string model, string outcome) =>
        LlmCalls.Add(1, new TagList { { "provider", provider }, { "model", model }, { "outcome", outcome } });

    public static void LlmTokensUsed(string model, long inputTokens, long outputTokens)
    {
        if (inputTokens > 0)
        {
            LlmTokens.Add(inputTokens, new TagList { { "model", model }, { "type", "input" } });
        }

        if (outputTokens > 0)
        {
            LlmTokens.Add(outputTokens, new TagList { { "model", model }, { "type", "output" } });
        }
    }

    public static void LlmCacheLookup(bool hit) =>
        LlmCacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    /// <param name="reason">breaker_open | timeout | error | invalid_answer | queue_full.</param>
    public static void LlmFallback(string reason) =>
        LlmFallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void LlmBreakerState(string provider, BreakerState state) => Breakers.Set(provider, state);
}

public enum BreakerState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}
