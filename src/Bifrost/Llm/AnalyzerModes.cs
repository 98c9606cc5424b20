using Bifrost.Configuration;

namespace Bifrost.Llm;

/// <summary>The three analyzer modes and the per-request LLM deadline.</summary>
public static class AnalyzerModes
{
    public const string Builtin = "builtin";
    public const string Llm = "llm";
    public const string Hybrid = "hybrid";

    public static string Resolve(string? engineOverride, AiOptions ai)
    {
        var requested = (string.IsNullOrWhiteSpace(engineOverride) ? ai.Mode : engineOverride).Trim().ToLowerInvariant();
        var mode = requested switch
        {
            "" => string.IsNullOrWhiteSpace(ai.BaseUrl) ? Builtin : Hybrid,
            Builtin or Llm or Hybrid => requested,
            _ => throw new InvalidOperationException($"ai.mode must be builtin, llm or hybrid, not '{requested}'"),
        };
        if (mode != Builtin && string.IsNullOrWhiteSpace(ai.BaseUrl))
        {
            throw new InvalidOperationException($"ai.base_url is required for ai.mode {mode} (e.g. http://localhost:11434 for Ollama)");
        }

        return mode;
    }

    /// <summary>The shorter of <c>ai.timeout</c> and <c>heimdall.timeout_seconds</c>: the LLM never eats the whole request budget.</summary>
    public static TimeSpan Deadline(AiOptions ai, HeimdallOptions heimdall)
    {
        var seconds = Math.Min(ai.Timeout > 0 ? ai.Timeout : 20, heimdall.TimeoutSeconds > 0 ? heimdall.TimeoutSeconds : double.MaxValue);
        return TimeSpan.FromSeconds(Math.Max(0.05, seconds));
    }
}
