using System.Buffers;
using System.Text.Json;
using Bifrost.Messaging;
using Bifrost.Storage;

namespace Bifrost.Heimdall;

/// <summary>
/// Release 1's <c>analysis.result</c>: exactly its DTO's keys, camelCase, nothing else (an unknown key fails the whole
/// message and release 1 drops it silently), within its column limits; keyed like the guide's (log id as text).
/// Written from the stored analysis, so a redelivered request re-publishes the same bytes.
/// </summary>
public static class V1ResultMessage
{
    public static byte[] Value(StoredAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var result = analysis.Result ?? throw new InvalidOperationException($"analysis {analysis.Id} has no result ({analysis.Status})");
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, ContractJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("requestId", analysis.Request.RequestId);
            w.WriteString("correlationId", analysis.Request.CorrelationId);
            w.WriteString("timestamp", ContractJson.Timestamp(result.ResultAt));
            w.WriteNumber("logId", analysis.Request.LogId);
            w.WriteStartObject("analysisResult");
            w.WriteString("summary", result.Summary);
            w.WriteString("rootCause", result.RootCause);
            w.WriteString("recommendation", result.Recommendation);
            w.WriteString("severity", HeimdallLimits.Clip(result.Severity, HeimdallLimits.Severity));
            w.WriteNumber("confidence", HeimdallLimits.Confidence(result.Confidence));
            w.WriteEndObject();
            w.WriteNumber("bifrostAnalysisId", analysis.Id);
            w.WriteString("model", HeimdallLimits.Clip(result.Model, HeimdallLimits.Model));
            w.WriteNumber("durationSeconds", HeimdallLimits.Seconds(result.DurationSeconds));
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
