using System.Text.Json.Nodes;

namespace Bifrost.Tests.Heimdall;

/// <summary>
/// Each release's DTOs as key sets, written down from shared/contract/heimdall/README.md (not from Bifrost's writers):
/// Heimdall's ObjectMapper fails the whole message on any key its DTO does not have, nested objects included.
/// </summary>
internal sealed record Dto(string Name, IReadOnlyDictionary<string, Dto?> Fields, IReadOnlySet<string> Required)
{
    public static readonly Dto V1AnalysisResult = new("AnalysisResult", Leaves("summary", "rootCause", "recommendation", "severity", "confidence"), Set("severity"));

    public static readonly Dto V1Result = new("AnalysisResultEvent", new Dictionary<string, Dto?>
    {
        ["requestId"] = null, ["correlationId"] = null, ["timestamp"] = null, ["logId"] = null, ["analysisResult"] = V1AnalysisResult,
        ["bifrostAnalysisId"] = null, ["model"] = null, ["durationSeconds"] = null,
    }, Set("requestId", "logId", "analysisResult", "durationSeconds", "timestamp"));

    public static readonly Dto V2TokenUsage = new("TokenUsage", Leaves("prompt_tokens", "completion_tokens", "total_tokens"), Set());

    public static readonly Dto V2Result = new("AnalysisResultEvent", new Dictionary<string, Dto?>
    {
        ["schema_version"] = null, ["job_id"] = null, ["status"] = null, ["summary"] = null, ["root_cause"] = null, ["recommendation"] = null,
        ["severity"] = null, ["confidence"] = null, ["model_used"] = null, ["token_usage"] = V2TokenUsage, ["latency_ms"] = null,
        ["error_code"] = null, ["error_message"] = null, ["trace_id"] = null, ["log_id"] = null, ["timestamp"] = null, ["result"] = null,
    }, Set("job_id", "status"));

    public static readonly Dto V2DeadLetter = new("DlqFailedEvent", Leaves(
        "schema_version", "job_id", "idempotency_key", "error_code", "error_message", "trace_id", "original_topic", "original_partition",
        "original_offset", "failed_at", "payload"), Set());

    /// <summary>Every key <paramref name="json"/> has is one the DTO has (recursively), and its required keys are non-null.</summary>
    public void AssertAccepts(JsonNode? json)
    {
        var obj = Assert.IsType<JsonObject>(json);
        foreach (var (key, value) in obj)
        {
            Assert.True(Fields.ContainsKey(key), $"{Name} has no field \"{key}\": Heimdall would reject {obj.ToJsonString()}");
            if (Fields[key] is { } nested && value is not null)
            {
                nested.AssertAccepts(value);
            }
        }

        foreach (var key in Required)
        {
            Assert.True(obj[key] is not null, $"{Name}.{key} must not be null: {obj.ToJsonString()}");
        }
    }

    private static Dictionary<string, Dto?> Leaves(params string[] keys) => keys.ToDictionary(k => k, _ => (Dto?)null);

    private static HashSet<string> Set(params string[] keys) => [.. keys];
}

/// <summary>The release examples (shared/contract/heimdall, or their copies in TestData).</summary>
internal static class HeimdallExamples
{
    public static IReadOnlyList<(string Name, byte[] Bytes)> Requests(string release)
    {
        var files = Directory.GetFiles(Path.Combine(Contract.Directory, "heimdall"), release + "-request-*.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, files.Count); // never pass vacuously
        return [.. files.Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];
    }
}
