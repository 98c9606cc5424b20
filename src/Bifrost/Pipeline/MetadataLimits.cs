using System.Text.Json;

namespace Bifrost.Pipeline;

/// <summary>
/// Limits on a request's <c>metadata</c>, checked by every channel before a request is accepted (REST/gRPC: 400 /
/// INVALID_ARGUMENT naming the limit; Kafka: DLQ <c>SCHEMA_VIOLATION</c>). Metadata nested 61–63 levels deep used
/// to be stored and then broke every reader (System.Text.Json writes at most 64 levels, and the row sits a few
/// levels deep in every response): 16 levels is more than any real metadata uses and far from that limit.
/// </summary>
public static class MetadataLimits
{
    public const int MaxDepth = 16;
    public const int MaxBytes = 64 * 1024;
    public const int MaxValues = 2_000;

    /// <summary>Why <paramref name="metadata"/> is refused ("nested 20 levels deep; at most 16"), or null when it fits.</summary>
    public static string? Check(JsonElement metadata)
    {
        var size = metadata.GetRawText().Length;
        if (size > MaxBytes)
        {
            return $"is {size} characters of JSON; at most {MaxBytes} are accepted";
        }

        var values = 0;
        var depth = Depth(metadata, 0, ref values);
        if (depth > MaxDepth)
        {
            return $"is nested {depth} levels deep; at most {MaxDepth} are accepted";
        }

        return values > MaxValues ? $"holds {values} values; at most {MaxValues} are accepted" : null;
    }

    private static int Depth(JsonElement element, int level, ref int values)
    {
        values++;
        var deepest = level;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    deepest = Math.Max(deepest, Depth(property.Value, level + 1, ref values));
                }

                return Math.Max(deepest, level + 1);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    deepest = Math.Max(deepest, Depth(item, level + 1, ref values));
                }

                return Math.Max(deepest, level + 1);
            default:
                return level;
        }
    }
}
