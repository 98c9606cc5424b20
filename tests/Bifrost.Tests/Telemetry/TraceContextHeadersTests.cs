using System.Diagnostics;
using System.Text;
using Bifrost.Telemetry;
using Confluent.Kafka;

namespace Bifrost.Tests.Telemetry;

public class TraceContextHeadersTests
{
    private static readonly ActivityContext Sampled = new(
        ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"),
        ActivitySpanId.CreateFromString("00f067aa0ba902b7"),
        ActivityTraceFlags.Recorded,
        "vendor=value");

    [Fact]
    public void Inject_WritesW3CTraceparentAndTracestate()
    {
        var headers = new Headers();

        TraceContextHeaders.Inject(Sampled, headers);

        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Encoding.ASCII.GetString(headers.GetLastBytes("traceparent")));
        Assert.Equal("vendor=value", Encoding.ASCII.GetString(headers.GetLastBytes("tracestate")));
    }

    [Fact]
    public void Extract_AfterInject_ReturnsTheSameRemoteContext()
    {
        var headers = new Headers();
        TraceContextHeaders.Inject(Sampled, headers);

        var extracted = TraceContextHeaders.Extract(headers);

        Assert.Equal(Sampled.TraceId, extracted.TraceId);
        Assert.Equal(Sampled.SpanId, extracted.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, extracted.TraceFlags);
        Assert.Equal("vendor=value", extracted.TraceState);
        Assert.True(extracted.IsRemote);
    }

    [Fact]
    public void Inject_Twice_KeepsOneTraceparent()
    {
        var headers = new Headers();
        TraceContextHeaders.Inject(Sampled, headers);
        TraceContextHeaders.Inject(new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None), headers);

        Assert.Single(headers, h => h.Key == "traceparent");
        Assert.EndsWith("-00", Encoding.ASCII.GetString(headers.GetLastBytes("traceparent")));
        Assert.DoesNotContain(headers, h => h.Key == "tracestate");
    }

    [Theory]
    [InlineData("not-a-traceparent")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")] // all-zero trace id is invalid
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")] // all-zero span id is invalid
    public void Extract_MalformedTraceparent_ReturnsDefault(string value)
    {
        var headers = new Headers { { "traceparent", Encoding.ASCII.GetBytes(value) } };

        Assert.Equal(default, TraceContextHeaders.Extract(headers));
    }

    [Fact]
    public void Extract_NoHeaders_ReturnsDefault()
    {
        // Kafka 0.9 (the test broker) drops record headers: the consumer sees null or an empty set.
        Assert.Equal(default, TraceContextHeaders.Extract(null));
        Assert.Equal(default, TraceContextHeaders.Extract(new Headers()));
    }
}
