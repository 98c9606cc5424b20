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
        var w = ContractJson.StartRecord();
        w.WriteStartObject();
        w.WriteString("requestId"u8, analysis.Request.RequestId);
        w.WriteString("correlationId"u8, analysis.Request.CorrelationId);
        ContractJson.WriteTimestamp(w, "timestamp"u8, result.ResultAt);
        w.WriteNumber("logId"u8, analysis.Request.LogId);
        w.WriteStartObject("analysisResult"u8);
        w.WriteString("summary"u8, result.Summary);
        w.WriteString("rootCause"u8, result.RootCause);
        w.WriteString("recommendation"u8, result.Recommendation);
        w.WriteString("severity"u8, HeimdallLimits.Clip(result.Severity, HeimdallLimits.Severity));
        w.WriteNumber("confidence"u8, HeimdallLimits.Confidence(result.Confidence));
        w.WriteEndObject();
        w.WriteNumber("bifrostAnalysisId"u8, analysis.Id);
        w.WriteString("model"u8, HeimdallLimits.Clip(result.Model, HeimdallLimits.Model));
        w.WriteNumber("durationSeconds"u8, HeimdallLimits.Seconds(result.DurationSeconds));
        w.WriteEndObject();
        return ContractJson.FinishRecord(w);
    }
}
