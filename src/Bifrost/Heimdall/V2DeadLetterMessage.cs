using System.Buffers;
using System.Text;
using System.Text.Json;
using Bifrost.Messaging;

namespace Bifrost.Heimdall;

/// <summary>
/// Release 2's <c>dlq.failed</c> record (its <c>DlqFailedEvent</c>): exactly its keys, the job's ids at the top level
/// whenever the request let them be read (without job_id or idempotency_key Heimdall cannot find the job and it stays
/// RUNNING), <c>payload</c> the original request as an object or null — never a string — and a record key that is never
/// null (the job id, else the request's key, else empty). What release 2 has no key for (attempts, the original key,
/// a payload that was not an object) travels in record headers where the broker has them.
/// </summary>
public static class V2DeadLetterMessage
{
    /// <summary>Header carrying the original value when it was not a JSON object (release 2's payload is then null).</summary>
    public const string RawPayloadHeader = "bifrost-payload-raw";

    public static byte[] Key(DeadLetter letter, string? jobId)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return jobId is not null ? Encoding.UTF8.GetBytes(jobId) : letter.OriginalKey ?? [];
    }

    public static byte[] Value(DeadLetter letter, string? jobId, string? idempotencyKey, string? traceId)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var buffer = new ArrayBufferWriter<byte>(512 + (letter.OriginalValue?.Length ?? 0));
        using (var w = new Utf8JsonWriter(buffer, ContractJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("schema_version", V2Job.SchemaVersion);
            Nullable(w, "job_id", jobId);
            Nullable(w, "idempotency_key", idempotencyKey);
            w.WriteString("error_code", HeimdallLimits.Clip(letter.ErrorCode, HeimdallLimits.ErrorCode));
            w.WriteString("error_message", letter.ErrorMessage);
            Nullable(w, "trace_id", traceId);
            w.WriteString("original_topic", letter.OriginalTopic);
            w.WriteNumber("original_partition", letter.OriginalPartition);
            w.WriteNumber("original_offset", letter.OriginalOffset);
            // Whole seconds with Z: an ISO local date-time with T to Heimdall's parser (the Z is accepted, an offset is not).
            w.WriteString("failed_at", ContractJson.Timestamp(letter.FailedAt));
            if (letter.PayloadIsObject && letter.OriginalValue is { } json)
            {
                w.WritePropertyName("payload");
                w.WriteRawValue(json, skipInputValidation: false);
            }
            else
            {
                w.WriteNull("payload");
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
