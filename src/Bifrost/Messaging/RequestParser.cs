using System.Globalization;
using System.Text.Json;
using Bifrost.Heimdall;
using Bifrost.Pipeline;
using Bifrost.Storage;

namespace Bifrost.Messaging;

/// <summary>Why a message is not analysed, and whatever identifying fields could still be read from it.</summary>
/// <param name="PayloadIsObject">The value was a JSON object (the DLQ record carries it as <c>payload</c>).</param>
/// <param name="Dialect">The dialect the dead letter is written in.</param>
/// <param name="JobId">Release 2: the job's ids, copied to the dead letter's top level so Heimdall finds the job.</param>
public sealed record RequestRejection(string ErrorCode, string Message, string? RequestId, string? CorrelationId, long? LogId, bool PayloadIsObject,
    Dialect Dialect = Dialect.Guide, string? JobId = null, string? IdempotencyKey = null, string? TraceId = null);

/// <summary>
/// Either a request to analyse, a release-2 job (its log is still to be read from Heimdall's database), or the reason it
/// goes to the DLQ; with the dialect it is answered in.
/// </summary>
public readonly record struct ParseResult(AnalysisSubmission? Request, RequestRejection? Rejection, Dialect Dialect = Dialect.Guide, V2Job? Job = null);

/// <summary>
/// Reads and validates one <c>analysis.request</c> value exactly as the contract README says: both snake_case
/// and camelCase spellings (snake_case wins when both are present), unknown fields ignored, pydantic-lax
/// coercions only (log_id as a string of digits, priority in any case, timestamp with any or no offset,
/// metadata null); everything else of the wrong type is a SCHEMA_VIOLATION naming the field. Each message's dialect
/// is detected (<see cref="DialectDetector"/>) unless <paramref name="forcedDialect"/> fixes one: release 1 may leave
/// serviceName/environment null (stored as <c>unknown</c>); release 2 jobs are read by <see cref="V2Job.Read"/>. Pure.
/// </summary>
public sealed class RequestParser(int maxMessageBytes, IReadOnlySet<string> allowedCallbackTopics, string defaultCallbackTopic, Dialect? forcedDialect = null)
{
    /// <summary>What release 1 leaves null (a log ingested without a service or environment) is stored as.</summary>
    public const string Unknown = "unknown";

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
            return Unreadable(bytes.Span, bytes.Length > maxMessageBytes
                ? TooLarge(bytes.Length, null, null, null, false)
                : Reject(ErrorCodes.InvalidJson, "value is not valid UTF-8", null, null, null, false));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            // Position only: the reader's own message quotes the payload, which may hold secrets (it goes to logs).
            return Unreadable(bytes.Span, bytes.Length > maxMessageBytes
                ? TooLarge(bytes.Length, null, null, null, false)
                : Reject(ErrorCodes.InvalidJson, $"value is not valid UTF-8 JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})", null, null, null, false));
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
                return Unreadable(bytes.Span, Reject(ErrorCodes.InvalidJson, $"value has a string that is not valid Unicode: {ex.Message}", null, null, null, false));
            }
        }
    }

    /// <summary>
    /// A value that could not be read whole: its dead letter is written in the dialect its readable start shows (a
    /// release-2 job cut off in transit still links its job), or the forced one.
    /// </summary>
    private ParseResult Unreadable(ReadOnlySpan<byte> value, ParseResult rejected)
    {
        var salvaged = DialectDetector.Salvage(value);
        var dialect = forcedDialect ?? salvaged?.Dialect ?? Dialect.Guide;
        var rejection = rejected.Rejection! with
        {
            Dialect = dialect,
            RequestId = salvaged?.RequestId,
            CorrelationId = salvaged?.CorrelationId,
            LogId = salvaged?.LogId,
            JobId = salvaged?.JobId,
            IdempotencyKey = salvaged?.IdempotencyKey,
            TraceId = salvaged?.TraceId,
        };
        return new ParseResult(null, rejection, dialect);
    }

    private ParseResult Read(JsonElement root, int size)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            var dialect = forcedDialect ?? Dialect.Guide;
            var rejected = size > maxMessageBytes
                ? TooLarge(size, null, null, null, false)
                : Reject(ErrorCodes.SchemaViolation, $"message must be a JSON object, got {Kind(root)}", null, null, null, false);
            return rejected with { Dialect = dialect, Rejection = rejected.Rejection! with { Dialect = dialect } };
        }

        var detected = forcedDialect ?? DialectDetector.Detect(root);
        if (detected == Dialect.V2)
        {
            return ReadJob(root, size);
        }

        var parsed = ReadRequest(root, size, optionalServiceAndEnvironment: detected == Dialect.V1);
        return parsed with
        {
            Dialect = detected,
            Request = parsed.Request is { } request ? request with { Dialect = detected.Name() } : null,
            Rejection = parsed.Rejection is { } rejection ? rejection with { Dialect = detected } : null,
        };
    }

    /// <summary>Release 2: the job's fields (no log text); rejected jobs keep their ids for the dead letter.</summary>
    private ParseResult ReadJob(JsonElement root, int size)
    {
        var (jobId, idempotencyKey, traceId) = V2Job.Ids(root);
        var logId = root.TryGetProperty("log_id", out var lid) && TryLogId(lid, out var l) ? l : (long?)null;
        RequestRejection Rejected(string code, string message) =>
            new(code, message, idempotencyKey, traceId, logId, true, Dialect.V2, jobId, idempotencyKey, traceId);
        if (size > maxMessageBytes)
        {
            return new ParseResult(null, Rejected(ErrorCodes.PayloadTooLarge, $"message is {size} bytes; the limit is {maxMessageBytes} (kafka.max_message_bytes)"), Dialect.V2);
        }

        var errors = new List<string>();
        var job = V2Job.Read(root, errors);
        return job is null
            ? new ParseResult(null, Rejected(ErrorCodes.SchemaViolation, string.Join("; ", errors)), Dialect.V2)
            : new ParseResult(null, null, Dialect.V2, job);
    }

    private ParseResult ReadRequest(JsonElement root, int size, bool optionalServiceAndEnvironment)
    {

        var requestId = Field(root, "request_id", "requestId") is { ValueKind: JsonValueKind.String } rid ? rid.GetString() : null;
        var correlationId = Field(root, "correlation_id", "correlationId") is { ValueKind: JsonValueKind.String } cid ? cid.GetString() : null;
        var logId = Field(root, "log_id", "logId") is { } lid && TryLogId(lid, out var l) ? l : (long?)null;
        if (size > maxMessageBytes)
        {
            return TooLarge(size, requestId, correlationId, logId, true);
        }

        var errors = new List<string>();
        var requestIdValue = RequiredString(root, "request_id", "requestId", errors, maxLength: 128);
        if (requestIdValue is not null && requestIdValue.AsSpan().ContainsAnyInRange('\u0000', '\u001f'))
        {
            errors.Add("request_id: must not contain control characters");
            requestIdValue = null;
        }
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
        var serviceName = optionalServiceAndEnvironment ? NullableString(root, "service_name", "serviceName", errors) ?? Unknown : RequiredString(root, "service_name", "serviceName", errors);
        var environment = optionalServiceAndEnvironment ? NullableString(root, "environment", "environment", errors) ?? Unknown : RequiredString(root, "environment", "environment", errors);
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
                if (MetadataLimits.Check(meta) is { } tooBig)
                {
                    errors.Add("metadata: " + tooBig);
                }
                else
                {
                    metadata = meta.GetRawText();
                }
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

    // The reason goes to logs and the DLQ record's error_message: field values quoted in it are redacted too.
    private static ParseResult Reject(string code, string message, string? requestId, string? correlationId, long? logId, bool isObject) =>
        new(null, new RequestRejection(code, Bifrost.Analysis.Redaction.Redactor.Redact(message), requestId, correlationId, logId, isObject));

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

    /// <summary>Release 1's serviceName/environment: null, missing or empty when the log had none.</summary>
    private static string? NullableString(JsonElement root, string snake, string camel, List<string> errors) =>
        Field(root, snake, camel) is { ValueKind: JsonValueKind.Null } ? null : OptionalString(root, snake, camel, errors) is { Length: > 0 } value ? value : null;

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
