using System.Runtime.InteropServices;
using System.Text.Json;

namespace Bifrost.Heimdall;

/// <summary>
/// Tells the dialects apart by their keys: release 2 is the only one with <c>job_id</c>/<c>schema_version</c>; release 1's
/// producer writes exactly its DTO's ten keys, camelCase; anything else is the guide's — snake_case, and also camelCase
/// with keys release 1 never writes (the guide accepts camelCase spellings, e.g. with <c>metadata</c>), and either
/// spelling mixed with snake_case (the parser reads snake_case first).
/// </summary>
public static class DialectDetector
{
    private static readonly string[] V2Keys = ["job_id", "schema_version", "idempotency_key"];
    private static readonly string[] CamelKeys = ["requestId", "logId", "logContent", "serviceName", "correlationId", "analysisType", "callbackTopic"];

    /// <summary>Everything release 1's request DTO has (shared/contract/heimdall/README.md, "Release 1").</summary>
    private static readonly HashSet<string> V1Keys = new(StringComparer.Ordinal)
    {
        "requestId", "timestamp", "logId", "logContent", "serviceName", "environment", "analysisType", "priority", "callbackTopic", "correlationId",
    };

    /// <summary>
    /// Runs for every request, so: one pass over the keys, each classified by its raw UTF-8 bytes (length first, then
    /// at most two comparisons), nothing allocated.
    /// </summary>
    public static Dialect Detect(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Dialect.Guide;
        }

        var camel = false;
        var onlyV1Keys = true;
        foreach (var property in root.EnumerateObject())
        {
            switch (Classify(property))
            {
                case Key.V2:
                    return Dialect.V2;
                case Key.V1Core:
                    // Release 1 always sends all three; a camelCase message without any of them is invalid in every dialect.
                    camel = true;
                    break;
                case Key.Other:
                    onlyV1Keys = false;
                    break;
            }
        }

        return camel && onlyV1Keys ? Dialect.V1 : Dialect.Guide;
    }

    private enum Key
    {
        Other,
        V1,
        V1Core,
        V2,
    }

    /// <summary>
    /// Which dialect a key belongs to, from its raw bytes. A name written with JSON escapes (no Heimdall producer does
    /// that) is compared unescaped, the slow way.
    /// </summary>
    private static Key Classify(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return ClassifyEscaped(property);
        }

        return raw.Length switch
        {
            5 => raw.SequenceEqual("logId"u8) ? Key.V1Core : Key.Other,
            6 => raw.SequenceEqual("job_id"u8) ? Key.V2 : Key.Other,
            8 => raw.SequenceEqual("priority"u8) ? Key.V1 : Key.Other,
            9 => raw.SequenceEqual("requestId"u8) ? Key.V1Core : raw.SequenceEqual("timestamp"u8) ? Key.V1 : Key.Other,
            10 => raw.SequenceEqual("logContent"u8) ? Key.V1Core : Key.Other,
            11 => raw.SequenceEqual("serviceName"u8) || raw.SequenceEqual("environment"u8) ? Key.V1 : Key.Other,
            12 => raw.SequenceEqual("analysisType"u8) ? Key.V1 : Key.Other,
            13 => raw.SequenceEqual("callbackTopic"u8) || raw.SequenceEqual("correlationId"u8) ? Key.V1 : Key.Other,
            14 => raw.SequenceEqual("schema_version"u8) ? Key.V2 : Key.Other,
            15 => raw.SequenceEqual("idempotency_key"u8) ? Key.V2 : Key.Other,
            _ => Key.Other,
        };
    }

    private static Key ClassifyEscaped(JsonProperty property)
    {
        foreach (var key in V2Keys)
        {
            if (property.NameEquals(key))
            {
                return Key.V2;
            }
        }

        return property.NameEquals("requestId") || property.NameEquals("logId") || property.NameEquals("logContent") ? Key.V1Core
            : V1Keys.Contains(property.Name) ? Key.V1 : Key.Other;
    }

    /// <summary>
    /// For a value that is not valid JSON (e.g. cut off in transit): reads its top-level members up to the first error,
    /// so a broken release-2 request still yields a release-2 dead letter with the job linked. Null when no key was read.
    /// </summary>
    public static SalvagedIds? Salvage(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value, new JsonReaderOptions { MaxDepth = 256, AllowTrailingCommas = true });
        var strings = new Dictionary<string, string?>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string? property = null;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType != JsonTokenType.StartObject && reader.TokenType != JsonTokenType.EndObject)
                {
                    return null; // not an object at all
                }

                if (reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    property = reader.GetString();
                    keys.Add(property!);
                }
                else if (property is not null)
                {
                    strings[property] = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => null,
                    };
                    property = null;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Expected: the value is broken somewhere; what came before it is what we have.
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid Unicode: same.
        }

        if (keys.Count == 0)
        {
            return null;
        }

        var dialect = keys.Overlaps(V2Keys) ? Dialect.V2 : keys.Overlaps(CamelKeys) && keys.IsSubsetOf(V1Keys) ? Dialect.V1 : Dialect.Guide;
        string? S(string snake, string? camel = null) =>
            strings.TryGetValue(snake, out var v) && v is not null ? v : camel is not null && strings.TryGetValue(camel, out var c) ? c : null;
        long? logId = long.TryParse(S("log_id", "logId"), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : null;
        return new SalvagedIds(dialect, S("request_id", "requestId"), S("correlation_id", "correlationId"), logId, S("job_id"), S("idempotency_key"), S("trace_id"));
    }
}

/// <summary>Identifying fields read from a value that could not be parsed whole.</summary>
public sealed record SalvagedIds(Dialect Dialect, string? RequestId, string? CorrelationId, long? LogId, string? JobId, string? IdempotencyKey, string? TraceId);
