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
            _ => throw new ConfigurationException("ai.mode", $"ai.mode must be builtin, llm or hybrid (got '{requested}')"),
        };
        if (mode == Builtin)
        {
            return mode;
        }

        if (string.IsNullOrWhiteSpace(ai.BaseUrl) || !Uri.TryCreate(ai.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ConfigurationException("ai.base_url",
                $"ai.base_url must be an http(s) URL for ai.mode {mode} (got '{ai.BaseUrl}'; e.g. http://localhost:11434 for Ollama)");
        }

        if (ai.Provider.Trim().ToLowerInvariant() is not ("ollama" or "openai"))
        {
            throw new ConfigurationException("ai.provider", $"ai.provider must be ollama or openai (got '{ai.Provider}')");
        }

        return mode;
    }

    /// <summary>The shorter of <c>ai.timeout</c> and <c>analysis.timeout_seconds</c>: the LLM never eats the whole request budget.</summary>
    public static TimeSpan Deadline(AiOptions ai, AnalysisOptions analysis)
    {
        ArgumentNullException.ThrowIfNull(ai);
        ArgumentNullException.ThrowIfNull(analysis);
        var seconds = Math.Min(ai.Timeout > 0 ? ai.Timeout : 20, analysis.TimeoutSeconds > 0 ? analysis.TimeoutSeconds : double.MaxValue);
        return TimeSpan.FromSeconds(Math.Max(0.05, seconds));
    }
}
