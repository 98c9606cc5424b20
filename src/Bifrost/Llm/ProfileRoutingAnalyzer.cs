using Bifrost.Analyzers;

namespace Bifrost.Llm;

/// <summary>
/// <c>ai.profiles</c>: a request naming a configured profile (Heimdall release 2's <c>model_policy.source</c>) is asked of
/// that profile's LLM server; when that server cannot answer (down, slow, breaker open), the default analyzer is asked
/// if it has an LLM of its own, and its built-in fallback answers last. A request naming no profile, or one that is not
/// configured, goes to the default analyzer. The outcome says what really ran (engine, model, tokens).
/// </summary>
internal sealed class ProfileRoutingAnalyzer(IAnalyzer fallback, bool fallbackAsksAnLlm, IReadOnlyDictionary<string, IAnalyzer> profiles) : IAnalyzer, IDisposable
{
    public bool IsInstant => fallback.IsInstant;

    public bool AnswersInstantly(string? profile) => Profile(profile) is null && fallback.AnswersInstantly(profile);

    /// <summary>Configured profile names, for logs and health.</summary>
    public IEnumerable<string> Profiles => profiles.Keys;

    public async Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Profile(request.Profile) is not { } analyzer)
        {
            return await fallback.AnalyzeAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await analyzer.AnalyzeAsync(request, cancellationToken).ConfigureAwait(false);
        if (!outcome.Fallback || !fallbackAsksAnLlm || cancellationToken.IsCancellationRequested)
        {
            return outcome;
        }

        // The profile's server gave nothing usable: the default provider next. What the failed attempt spent still counts.
        var second = await fallback.AnalyzeAsync(request with { Profile = null }, cancellationToken).ConfigureAwait(false);
        return second with
        {
            TokensUsed = second.TokensUsed + outcome.TokensUsed,
            PromptTokens = second.PromptTokens + outcome.PromptTokens,
            CompletionTokens = second.CompletionTokens + outcome.CompletionTokens,
        };
    }

    private IAnalyzer? Profile(string? name) =>
        name is not null && profiles.TryGetValue(name, out var analyzer) ? analyzer : null;

    public void Dispose()
    {
        foreach (var analyzer in profiles.Values)
        {
            (analyzer as IDisposable)?.Dispose();
        }

        (fallback as IDisposable)?.Dispose();
    }
}
