using System.Text;
using System.Text.Json;

namespace Bifrost.Messaging.Dlq;

/// <summary>
/// One <c>dlq.failed</c> record as read back (contract: shared/contract/README.md, "dlq.failed"), plus where it
/// sits on the dead-letter topic. <see cref="Payload"/> is the original JSON object's text exactly as stored;
/// <see cref="PayloadRaw"/> the original value when it was not a JSON object (<c>base64:</c> prefix if binary).
/// </summary>
public sealed record DlqEnvelope(
    int Partition,
    long Offset,
    string ErrorCode,
    string ErrorMessage,
    DateTimeOffset? FailedAt,
    int Attempts,
    string? OriginalTopic,
    int? OriginalPartition,
    long? OriginalOffset,
    string? OriginalKey,
    string? ConsumerGroup,
    string? RequestId,
    string? CorrelationId,
    long? LogId,
    string? Payload,
    string? PayloadRaw)
{
    /// <summary>The original message value, byte for byte as far as the envelope kept it; null when it kept nothing.</summary>
    public byte[]? OriginalValue() => Payload is not null ? Encoding.UTF8.GetBytes(Payload) : DecodeText(PayloadRaw);

    /// <summary>The original record key (null key stays null).</summary>
    public byte[]? OriginalKeyBytes() => DecodeText(OriginalKey);

    private static byte[]? DecodeText(string? text) => text switch
    {
        null => null,
        _ when text.StartsWith("base64:", StringComparison.Ordinal) => Convert.FromBase64String(text["base64:".Length..]),
        _ => Encoding.UTF8.GetBytes(text),
    };

    /// <summary>
    /// Parses a dead-letter record's value. Tolerant: a record that is not a JSON object (someone else wrote to the
    /// topic) still comes back, as <c>UNREADABLE_DLQ_RECORD</c> with its bytes in <see cref="PayloadRaw"/>, so the
    /// operator sees it instead of the reader failing.
    /// </summary>
    /// <summary>
    /// A DLQ record embeds the request one level down (<c>payload</c>), so a request at the parser's maximum depth
    /// makes an envelope deeper than System.Text.Json's default of 64 (found by the parser fuzz tests).
    /// </summary>
    public static readonly JsonDocumentOptions EnvelopeOptions = new() { MaxDepth = RequestParser.MaxDepth * 2 };

    public static DlqEnvelope Parse(int partition, long offset, byte[]? value)
    {
        value ??= [];
        try
        {
            using var doc = JsonDocument.Parse(value, EnvelopeOptions);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("schema_version", out _) && !root.TryGetProperty("consumer_group", out _))
            {
                return ReleaseTwo(partition, offset, root);
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                return new DlqEnvelope(
                    partition, offset,
                    Str(root, "error_code") ?? "UNKNOWN",
                    Str(root, "error_message") ?? "",
                    Str(root, "failed_at") is { } failedAt && DateTimeOffset.TryParse(failedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null,
                    (int)(Int(root, "attempts") ?? 1),
                    Str(root, "original_topic"),
                    (int?)Int(root, "original_partition"),
                    Int(root, "original_offset"),
                    Str(root, "original_key"),
                    Str(root, "consumer_group"),
                    Str(root, "request_id"),
                    Str(root, "correlation_id"),
                    Int(root, "log_id"),
                    root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object ? payload.GetRawText() : null,
                    Str(root, "payload_raw"));
            }
        }
        catch (JsonException)
        {
            // falls through to the unreadable record below
        }

        return new DlqEnvelope(partition, offset, "UNREADABLE_DLQ_RECORD", "The dead-letter record is not a JSON object.",
            null, 0, null, null, null, null, null, null, null, null, null, RawText(value));
    }

    /// <summary>
    /// A dead letter written for Heimdall release 2 (its DlqFailedEvent: no attempts, original key or consumer group).
    /// Its request was keyed by its job_id, so that is the key a re-drive sends it with; idempotency key and trace id
    /// stand for request and correlation ids.
    /// </summary>
    private static DlqEnvelope ReleaseTwo(int partition, long offset, JsonElement root) => new(
        partition, offset,
        Str(root, "error_code") ?? "UNKNOWN",
        Str(root, "error_message") ?? "",
        Str(root, "failed_at") is { } failedAt && DateTimeOffset.TryParse(failedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null,
        1,
        Str(root, "original_topic"),
        (int?)Int(root, "original_partition"),
        Int(root, "original_offset"),
        Str(root, "job_id"),
        null,
        Str(root, "idempotency_key"),
        Str(root, "trace_id"),
        root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("log_id", out var l) && l.TryGetInt64(out var logId) ? logId : null,
        root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object ? payload.GetRawText() : null,
        null);

    private static string RawText(byte[] value)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(value);
        }
    }

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
