using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Bifrost.Messaging;

/// <summary>Everything a <c>dlq.failed</c> record says about one message that was not (or could not be) analysed.</summary>
public sealed record DeadLetter(
    string ErrorCode,
    string ErrorMessage,
    DateTimeOffset FailedAt,
    int Attempts,
    string OriginalTopic,
    int OriginalPartition,
    long OriginalOffset,
    DateTimeOffset? OriginalTimestamp,
    byte[]? OriginalKey,
    string ConsumerGroup,
    string? RequestId,
    string? CorrelationId,
    long? LogId,
    byte[]? OriginalValue,
    bool PayloadIsObject);

/// <summary>Writes the DLQ envelope (contract fields) and Spring Kafka's <c>kafka_dlt-*</c> headers.</summary>
public static class DeadLetterMessage
{
    public static byte[] Value(DeadLetter d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var buffer = new ArrayBufferWriter<byte>(512 + (d.OriginalValue?.Length ?? 0) * 2);
        using (var w = new Utf8JsonWriter(buffer, ContractJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("error_code", d.ErrorCode);
            w.WriteString("error_message", d.ErrorMessage);
            w.WriteString("failed_at", ContractJson.Timestamp(d.FailedAt));
            w.WriteNumber("attempts", Math.Max(1, d.Attempts));
            w.WriteString("original_topic", d.OriginalTopic);
            w.WriteNumber("original_partition", d.OriginalPartition);
            w.WriteNumber("original_offset", d.OriginalOffset);
            WriteNullable(w, "original_timestamp", d.OriginalTimestamp is { } ts ? ContractJson.Timestamp(ts) : null);
            WriteNullable(w, "original_key", d.OriginalKey is { } key ? ContractJson.TextOrBase64(key) : null);
            w.WriteString("consumer_group", d.ConsumerGroup);
            WriteNullable(w, "request_id", d.RequestId);
            WriteNullable(w, "correlation_id", d.CorrelationId);
            if (d.LogId is { } logId)
            {
                w.WriteNumber("log_id", logId);
            }
            else
            {
                w.WriteNull("log_id");
            }

            if (d.PayloadIsObject && d.OriginalValue is { } json)
            {
                w.WritePropertyName("payload");
                w.WriteRawValue(json, skipInputValidation: false);
                w.WriteNull("payload_raw");
            }
            else
            {
                w.WriteNull("payload");
                WriteNullable(w, "payload_raw", d.OriginalValue is { } raw ? ContractJson.TextOrBase64(raw) : null);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Spring Kafka's DeadLetterPublishingRecoverer headers, with its encodings (partition: 4-byte big-endian int,
    /// offset/timestamp: 8-byte big-endian long, the rest UTF-8), so Java consumers route without parsing.
    /// </summary>
    public static Headers Headers(DeadLetter d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var partition = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(partition, d.OriginalPartition);
        var offset = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(offset, d.OriginalOffset);
        var headers = new Headers
        {
            { "kafka_dlt-exception-fqcn", Encoding.UTF8.GetBytes(ExceptionName(d.ErrorCode)) },
            { "kafka_dlt-exception-message", Encoding.UTF8.GetBytes(d.ErrorMessage) },
            { "kafka_dlt-original-topic", Encoding.UTF8.GetBytes(d.OriginalTopic) },
            { "kafka_dlt-original-partition", partition },
            { "kafka_dlt-original-offset", offset },
            { "kafka_dlt-original-consumer-group", Encoding.UTF8.GetBytes(d.ConsumerGroup) },
            { "bifrost_error-code", Encoding.UTF8.GetBytes(d.ErrorCode) },
        };
        if (d.OriginalTimestamp is { } ts)
        {
            var timestamp = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(timestamp, ts.ToUnixTimeMilliseconds());
            headers.Add("kafka_dlt-original-timestamp", timestamp);
            headers.Add("kafka_dlt-original-timestamp-type", Encoding.UTF8.GetBytes("CreateTime"));
        }

        return headers;
    }

    /// <summary>INVALID_JSON → Bifrost.Messaging.InvalidJsonException (the "exception class" Java tooling groups by).</summary>
    internal static string ExceptionName(string errorCode)
    {
        var name = new StringBuilder("Bifrost.Messaging.");
        foreach (var part in errorCode.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            name.Append(char.ToUpperInvariant(part[0])).Append(part[1..].ToLowerInvariant());
        }

        return name.Append("Exception").ToString();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
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
