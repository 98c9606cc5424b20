using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Bifrost.Telemetry;

/// <summary>
/// W3C Trace Context (<c>traceparent</c>/<c>tracestate</c>) in Kafka record headers, so one trace follows a
/// request from Heimdall's producer through Bifrost to the result. Brokers older than 0.11 drop headers:
/// extraction then finds nothing and the consume span starts a new trace.
/// </summary>
public static class TraceContextHeaders
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>Writes <paramref name="context"/> into <paramref name="headers"/>, replacing any earlier value.</summary>
    public static void Inject(ActivityContext context, Headers headers)
    {
        if (context == default)
        {
            return;
        }

        headers.Remove(TraceParent);
        headers.Remove(TraceState);
        var flags = (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        headers.Add(TraceParent, Encoding.ASCII.GetBytes($"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{flags}"));
        if (!string.IsNullOrEmpty(context.TraceState))
        {
            headers.Add(TraceState, Encoding.ASCII.GetBytes(context.TraceState));
        }
    }

    /// <summary>
    /// No span of ours to continue the trace with (tracing not exported): the request's own valid context travels
    /// on to the result, so the trace stays one across Bifrost.
    /// </summary>
    public static void Forward(Headers? from, Headers to)
    {
        ArgumentNullException.ThrowIfNull(to);
        Inject(Extract(from), to);
    }

    /// <summary>The remote parent carried by <paramref name="headers"/>, or <c>default</c> when absent or malformed.</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null || !headers.TryGetLastBytes(TraceParent, out var parent))
        {
            return default;
        }

        string? state = headers.TryGetLastBytes(TraceState, out var stateBytes) ? Encoding.ASCII.GetString(stateBytes) : null;
        // ActivityContext.TryParse implements the W3C traceparent grammar (version, all-zero ids, flags).
        return ActivityContext.TryParse(Encoding.ASCII.GetString(parent), state, isRemote: true, out var context) ? context : default;
    }
}
