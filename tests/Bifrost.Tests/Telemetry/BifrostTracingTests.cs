using System.Collections.Concurrent;
using System.Diagnostics;
using Bifrost.Telemetry;
using Confluent.Kafka;

namespace Bifrost.Tests.Telemetry;

public sealed class BifrostTracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public BifrostTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BifrostTracing.PipelineSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public void RequestSpans_FormOneTraceUnderTheProducersTraceparent()
    {
        var upstream = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var headers = new Headers();
        TraceContextHeaders.Inject(upstream, headers);
        var resultHeaders = new Headers();

        using (var consume = BifrostTracing.StartConsume("tracing.test.request", 2, 42, "key-1", "bifrost-consumer-group", headers))
        {
            BifrostTracing.SetRequest(consume, "req-1", "corr-tracing-test", 7);
            // Spans name their parent: a lane traces many requests in one flow, so none becomes the ambient span.
            Assert.Null(Activity.Current);
            using (var analyze = BifrostTracing.StartAnalyze(consume))
            {
                BifrostTracing.SetOutcome(analyze, "builtin", "database.connection", "HIGH");
            }

            using (BifrostTracing.StartStore("insert", "postgresql", consume))
            {
            }

            using (BifrostTracing.StartPublish("analysis.result", resultHeaders, consume))
            {
            }
        }

        var spans = _stopped.Where(a => a.TraceId == upstream.TraceId).ToList();
        var root = Assert.Single(spans, s => s.Kind == ActivityKind.Consumer);
        Assert.Equal(upstream.SpanId, root.ParentSpanId);
        Assert.Equal("process tracing.test.request", root.DisplayName);
        Assert.Equal("corr-tracing-test", root.GetTagItem("bifrost.correlation_id"));
        Assert.Equal("kafka", root.GetTagItem("messaging.system"));
        Assert.Equal("tracing.test.request", root.GetTagItem("messaging.destination.name"));
        Assert.Equal("2", root.GetTagItem("messaging.destination.partition.id"));
        Assert.Equal(42L, root.GetTagItem("messaging.kafka.offset"));
        Assert.Equal(["analyze", "send analysis.result", "store insert"], spans.Where(s => s.ParentSpanId == root.SpanId).Select(s => s.DisplayName).Order());

        var publish = Assert.Single(spans, s => s.Kind == ActivityKind.Producer);
        Assert.Equal(publish.SpanId, TraceContextHeaders.Extract(resultHeaders).SpanId);
    }

    [Fact]
    public void StartConsume_WithoutTraceparent_StartsANewTrace()
    {
        using var consume = BifrostTracing.StartConsume("tracing.test.noheaders", 0, 1, null, "g", null);

        Assert.NotNull(consume);
        Assert.Equal(default, consume.ParentSpanId);
    }

    [Fact]
    public void SetError_MarksSpanFailedWithErrorType()
    {
        using var span = BifrostTracing.StartAnalyze();

        BifrostTracing.SetError(span, "ANALYSIS_FAILED", "timeout");

        Assert.Equal(ActivityStatusCode.Error, span!.Status);
        Assert.Equal("ANALYSIS_FAILED", span.GetTagItem("error.type"));
    }
}
