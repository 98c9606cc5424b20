using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bifrost.Runbooks;

/// <summary>How citations are stored with an analysis (a JSON array, snake_case like the API).</summary>
public static class CitationJson
{
    public static string Write(IReadOnlyList<Citation> citations) => JsonSerializer.Serialize(citations.ToArray(), CitationJsonContext.Default.CitationArray);

    public static IReadOnlyList<Citation> Read(string json) => JsonSerializer.Deserialize(json, CitationJsonContext.Default.CitationArray) ?? [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Citation[]))]
internal sealed partial class CitationJsonContext : JsonSerializerContext;
