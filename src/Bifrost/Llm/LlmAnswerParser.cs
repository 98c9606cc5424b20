using System.Globalization;
using System.Text.Json;
using Bifrost.Analysis;

namespace Bifrost.Llm;

/// <summary>
/// Turns a model's reply into validated fields. Accepts a bare JSON object, one in a code fence, or one embedded in
/// prose; each field is checked on its own so one bad field does not discard the good ones.
/// </summary>
internal static class LlmAnswerParser
{
    private const int MaxTextLength = 2000;

    private static readonly HashSet<string> Placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "n/a", "na", "none", "null", "unknown", "-", "...", "…", "todo", "tbd", "string",
    };

    /// <summary>Returns null when no JSON object can be found in the reply (the caller may ask once for a repair).</summary>
    public static LlmAnswer? TryParse(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        foreach (var candidate in JsonCandidates(reply))
        {
            try
            {
                using var doc = JsonDocument.Parse(candidate, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                if (doc.RootElement.ValueKind == JsonValueKind.Object && HasAnyField(doc.RootElement))
                {
                    return FromObject(doc.RootElement);
                }
            }
            catch (JsonException)
            {
                // try the next candidate
            }
        }

        return null;
    }

    private static LlmAnswer FromObject(JsonElement obj) => new(
        Summary: Text(obj, "summary"),
        RootCause: Text(obj, "root_cause", "rootCause", "root cause", "cause"),
        Recommendation: Text(obj, "recommendation", "recommendations", "fix"),
        Severity: SeverityOf(obj),
        Confidence: ConfidenceOf(obj),
        Category: CategoryOf(obj));

    private static bool HasAnyField(JsonElement obj) =>
        Find(obj, "summary", "root_cause", "rootCause", "recommendation", "severity", "category").HasValue;

    private static JsonElement? Find(JsonElement obj, params string[] names)
    {
        foreach (var property in obj.EnumerateObject())
        {
            foreach (var name in names)
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }
        }

        return null;
    }

    private static string? Text(JsonElement obj, params string[] names)
    {
        var value = Find(obj, names);
        string? text = value?.ValueKind switch
        {
            JsonValueKind.String => value.Value.GetString(),
            // Some models answer a list of steps; join them rather than dropping a useful answer.
            JsonValueKind.Array => string.Join(" ", value.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString())),
            _ => null,
        };
        text = text?.Trim();
        if (text is null || text.Length < 3 || Placeholders.Contains(text) || text.Contains(LlmPrompt.FenceOpen, StringComparison.Ordinal))
        {
            return null;
        }

        // Untrusted like any input: controls removed, secrets masked (the model may echo the excerpt), clipped after
        // masking, and a field telling the engineer to run fetched code or wipe a disk dropped (ModelText).
        return ModelText.Check(text, MaxTextLength);
    }

    private static Severity? SeverityOf(JsonElement obj)
    {
        var value = Find(obj, "severity");
        return value?.ValueKind == JsonValueKind.String
            && Enum.TryParse<Severity>(value.Value.GetString()?.Trim(), ignoreCase: true, out var severity)
            && Enum.IsDefined(severity)
            && !int.TryParse(value.Value.GetString(), out _)
            ? severity
            : null;
    }

    private static double? ConfidenceOf(JsonElement obj)
    {
        var value = Find(obj, "confidence");
        double number;
        if (value?.ValueKind == JsonValueKind.Number)
        {
            number = value.Value.GetDouble();
        }
        else if (value?.ValueKind != JsonValueKind.String
            || !double.TryParse(value.Value.GetString()?.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return null;
        }

        return number is >= 0 and <= 1 && double.IsFinite(number) ? number : null;
    }

    private static string? CategoryOf(JsonElement obj)
    {
        var value = Find(obj, "category");
        var id = value?.ValueKind == JsonValueKind.String ? value.Value.GetString()?.Trim().ToLowerInvariant() : null;
        return id is not null && TaxonomyCategories.IsKnown(id) ? id : null;
    }

    /// <summary>The whole reply, then each balanced <c>{...}</c> span in it (outermost first), strings respected.</summary>
    private static IEnumerable<string> JsonCandidates(string reply)
    {
        var trimmed = reply.Trim();
        yield return trimmed;
        for (var start = trimmed.IndexOf('{'); start >= 0; start = trimmed.IndexOf('{', start + 1))
        {
            var end = MatchingBrace(trimmed, start);
            if (end > start)
            {
                yield return trimmed[start..(end + 1)];
            }
        }
    }

    private static int MatchingBrace(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
