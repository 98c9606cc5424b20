using System.Buffers;
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

    // One writer and buffer per thread, reset for each record: the only allocation left is the returned array.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static byte[] Value(StoredAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var result = analysis.Result ?? throw new InvalidOperationException($"analysis {analysis.Id} has no result ({analysis.Status})");
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, ContractJson.WriterOptions);
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("request_id", analysis.Request.RequestId);
        w.WriteString("correlation_id", analysis.Request.CorrelationId);
        w.WriteString("timestamp", ContractJson.Timestamp(result.ResultAt));
        w.WriteNumber("log_id", analysis.Request.LogId);
        w.WriteStartObject("analysis_result");
        w.WriteString("summary", result.Summary);
        w.WriteString("root_cause", result.RootCause);
        w.WriteString("recommendation", result.Recommendation);
        w.WriteString("severity", result.Severity);
        w.WriteNumber("confidence", Math.Round(result.Confidence, 2));
        w.WriteEndObject();
        w.WriteNumber("bifrost_analysis_id", analysis.Id);
        w.WriteString("model", result.Model);
        w.WriteNumber("duration_seconds", Math.Round(result.DurationSeconds, 3));
        w.WriteEndObject();
        w.Flush();

        return buffer.WrittenSpan.ToArray();
    }
}
