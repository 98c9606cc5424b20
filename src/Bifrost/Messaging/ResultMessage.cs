using System.Globalization;
using System.Text;
using System.Text.Json;
using Bifrost.Storage;

namespace Bifrost.Messaging;

/// <summary>
/// The <c>analysis.result</c> record: exactly the contract's fields, written from the STORED analysis so a
/// redelivered request re-publishes the same content (timestamp and duration included).
/// </summary>
public static class ResultMessage
{
    /// <summary>Key = log_id as decimal UTF-8 text.</summary>
    public static byte[] Key(long logId)
    {
        Span<byte> digits = stackalloc byte[20];
        logId.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        return digits[..written].ToArray();
    }

    public static byte[] Value(StoredAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var result = analysis.Result ?? throw new InvalidOperationException($"analysis {analysis.Id} has no result ({analysis.Status})");
        var w = ContractJson.StartRecord();
        w.WriteStartObject();
        w.WriteString("request_id"u8, analysis.Request.RequestId);
        w.WriteString("correlation_id"u8, analysis.Request.CorrelationId);
        ContractJson.WriteTimestamp(w, "timestamp"u8, result.ResultAt);
        w.WriteNumber("log_id"u8, analysis.Request.LogId);
        w.WriteStartObject("analysis_result"u8);
        w.WriteString("summary"u8, result.Summary);
        w.WriteString("root_cause"u8, result.RootCause);
        w.WriteString("recommendation"u8, result.Recommendation);
        w.WriteString("severity"u8, result.Severity);
        w.WriteNumber("confidence"u8, Math.Round(result.Confidence, 2));
        w.WriteEndObject();
        w.WriteNumber("bifrost_analysis_id"u8, analysis.Id);
        w.WriteString("model"u8, result.Model);
        w.WriteNumber("duration_seconds"u8, Math.Round(result.DurationSeconds, 3));
        w.WriteEndObject();
        return ContractJson.FinishRecord(w);
    }
}
