using System.Globalization;
using System.Text.Json;
using Bifrost.Pipeline;
using Bifrost.Storage;

namespace Bifrost.Messaging;

/// <summary>Why a message is not analysed, and whatever identifying fields could still be read from it.</summary>
/// <param name="PayloadIsObject">The value was a JSON object (the DLQ record carries it as <c>payload</c>).</param>
public sealed record RequestRejection(string ErrorCode, string Message, string? RequestId, string? CorrelationId, long? LogId, bool PayloadIsObject);

/// <summary>Either a request to analyse or the reason it goes to the DLQ.</summary>
public readonly record struct ParseResult(AnalysisSubmission? Request, RequestRejection? Rejection);

/// <summary>
/// Reads and validates one <c>analysis.request</c> value exactly as the contract README says: both snake_case
/// and camelCase spellings (snake_case wins when both are present), unknown fields ignored, pydantic-lax
/// coercions only (log_id as a string of digits, priority in any case, timestamp with any or no offset,
/// metadata null); everything else of the wrong type is a SCHEMA_VIOLATION naming the field. Pure.
/// </summary>
public sealed class RequestParser(int maxMessageBytes, IReadOnlySet<string> allowedCallbackTopics, string defaultCallbackTopic)
{
    /// <summary>Deepest JSON nesting a request may have; deeper is INVALID_JSON.</summary>
    public const int MaxDepth = 64;

    private static readonly string[] Priorities = ["LOW", "NORMAL", "HIGH", "CRITICAL"];

    public ParseResult Parse(ReadOnlyMemory<byte>? value)
    {
        if (value is not { } bytes || bytes.Length == 0)
        {
            return Reject(ErrorCodes.InvalidJson, "message has no value (empty or tombstone)", null, null, null, false);
        }

        // JsonDocument accepts invalid UTF-8 inside strings and only fails when a string is read (an exception
        // that escaped Parse and stopped the lane): reject it here, with the other not-JSON values.
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            return bytes.Length > maxMessageBytes
                ? TooLarge(bytes.Length, null, null, null, false)
                : Reject(ErrorCodes.InvalidJson, "value is not valid UTF-8", null, null, null, false);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            // Position only: the reader's own message quotes the payload, which may hold secrets (it goes to logs).
            return bytes.Length > maxMessageBytes
                ? TooLarge(bytes.Length, null, null, null, false)
                : Reject(ErrorCodes.InvalidJson, $"value is not valid UTF-8 JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})", null, null, null, false);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, bytes.Length);
            }
            catch (InvalidOperationException ex)
            {
                // GetString() throws on escaped lone surrogates ("\udffd" after a high one): the text is not Unicode.
                return Reject(ErrorCodes.InvalidJson, $"value has a string that is not valid Unicode: {ex.Message}", null, null, null, false);
            }
        }
    }

    private ParseResult Read(JsonElement root, int size)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return size > maxMessageBytes
                ? TooLarge(size, null, null, null, false)
                : Reject(ErrorCodes.SchemaViolation, $"message must be a JSON object, got {Kind(root)}", null, null, null, false);
        }

        var requestId = Field(root, "request_id", "requestId") is { ValueKind: JsonValueKind.String } rid ? rid.GetString() : null;
        var correlationId = Field(root, "correlation_id", "correlationId") is { ValueKind: JsonValueKind.String } cid ? cid.GetString() : null;
        var logId = Field(root, "log_id", "logId") is { } lid && TryLogId(lid, out var l) ? l : (long?)null;
        if (size > maxMessageBytes)
        {
            return TooLarge(size, requestId, correlationId, logId, true);
        }

        var errors = new List<string>();
        var requestIdValue = RequiredString(root, "request_id", "requestId", errors, maxLength: 128);
        var logIdValue = 0L;
        if (Field(root, "log_id", "logId") is not { } logIdElement)
        {
            errors.Add("log_id: required field is missing");
        }
        else if (!TryLogId(logIdElement, out logIdValue))
        {
            errors.Add($"log_id: expected an integer or a string of digits, got {Describe(logIdElement)}");
        }

        var logContent = RequiredString(root, "log_content", "logContent", errors);
        var serviceName = RequiredString(root, "service_name", "serviceName", errors);
        var environment = RequiredString(root, "environment", "environment", errors);
        var correlation = RequiredString(root, "correlation_id", "correlationId", errors);
        var analysisType = OptionalString(root, "analysis_type", "analysisType", errors) ?? "error";
        var callbackTopic = OptionalString(root, "callback_topic", "callbackTopic", errors) ?? defaultCallbackTopic;

        var priority = "NORMAL";
        if (OptionalString(root, "priority", "priority", errors) is { } p)
        {
            priority = p.ToUpperInvariant();
            if (Array.IndexOf(Priorities, priority) < 0)
            {
                errors.Add($"priority: must be one of LOW, NORMAL, HIGH, CRITICAL in any letter case, got \"{Shorten(p)}\"");
            }
        }

        DateTimeOffset? timestamp = null;
        if (OptionalString(root, "timestamp", "timestamp", errors) is { } ts)
        {
            if (TryTimestamp(ts, out var parsed))
            {
                timestamp = parsed;
            }
            else
            {
                errors.Add($"timestamp: expected an ISO-8601 date-time, got \"{Shorten(ts)}\"");
            }
        }

        var metadata = "{}";
        if (Field(root, "metadata", "metadata") is { } meta)
        {
            if (meta.ValueKind == JsonValueKind.Object)
            {
                metadata = meta.GetRawText();
            }
            else if (meta.ValueKind != JsonValueKind.Null)
            {
                errors.Add($"metadata: expected an object or null, got {Describe(meta)}");
            }
        }

        if (errors.Count > 0)
        {
            return Reject(ErrorCodes.SchemaViolation, string.Join("; ", errors), requestId, correlationId, logId, true);
        }

        if (!allowedCallbackTopics.Contains(callbackTopic))
        {
            return Reject(ErrorCodes.CallbackTopicNotAllowed,
                $"callback_topic \"{Shorten(callbackTopic)}\" is not on the allow-list (kafka.topics.result, heimdall.allowed_callback_topics)",
                requestId, correlationId, logId, true);
        }

        return new ParseResult(new AnalysisSubmission(
            requestIdValue!, correlation!, logIdValue, logContent!, serviceName!, environment!, priority, analysisType,
            callbackTopic, metadata, AnalysisSources.Kafka, timestamp), null);
    }

    private ParseResult TooLarge(int size, string? requestId, string? correlationId, long? logId, bool isObject) =>
        Reject(ErrorCodes.PayloadTooLarge, $"message is {size} bytes; the limit is {maxMessageBytes} (kafka.max_message_bytes)", requestId, correlationId, logId, isObject);

    private static ParseResult Reject(string code, string message, string? requestId, string? correlationId, long? logId, bool isObject) =>
        new(null, new RequestRejection(code, message, requestId, correlationId, logId, isObject));

    /// <summary>snake_case first, then the camelCase alias of Heimdall's first release.</summary>
    private static JsonElement? Field(JsonElement root, string snake, string camel)
    {
        if (root.TryGetProperty(snake, out var value) || (camel != snake && root.TryGetProperty(camel, out value)))
        {
            return value;
        }

        return null;
    }

    private static string? RequiredString(JsonElement root, string snake, string camel, List<string> errors, int maxLength = int.MaxValue)
    {
        if (Field(root, snake, camel) is not { } element)
        {
            errors.Add($"{snake}: required field is missing");
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{snake}: expected a string, got {Describe(element)}");
            return null;
        }

        var value = element.GetString()!;
        if (value.Length == 0)
        {
            errors.Add($"{snake}: must not be empty");
            return null;
        }

        if (value.Length > maxLength)
        {
            errors.Add($"{snake}: must be at most {maxLength} characters, got {value.Length}");
            return null;
        }

        return value;
    }

    private static string? OptionalString(JsonElement root, string snake, string camel, List<string> errors)
    {
        if (Field(root, snake, camel) is not { } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{snake}: expected a string, got {Describe(element)}");
            return null;
        }

        return element.GetString();
    }

    internal static bool TryLogId(JsonElement element, out long value)
    {
        value = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (element.TryGetInt64(out value))
                {
                    return true;
                }

                // 5.0 is an integer in JSON Schema (and pydantic's lax mode): accept integral decimals in range.
                if (element.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue)
                {
                    value = (long)d;
                    return true;
                }

                return false;
            case JsonValueKind.String:
                var s = element.GetString()!;
                var digits = s.StartsWith('-') ? s.Length - 1 : s.Length;
                return digits is >= 1 and <= 19
                    && s.AsSpan(s.Length - digits).IndexOfAnyExceptInRange('0', '9') < 0
                    && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                return false;
        }
    }

    /// <summary>ISO-8601 with any offset, or none (taken as UTC).</summary>
    internal static bool TryTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        return text.Length >= 10 && text[4] == '-' && text[7] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"number {Shorten(element.GetRawText())}",
        _ => Kind(element),
    };

    private static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
