using Bifrost.Analysis;

namespace Bifrost.Analyzers;

/// <summary>
/// The seam every channel (Kafka, REST, gRPC, CLI) analyses through. Implementations: the built-in engine,
/// LLM analyzers and the hybrid of both. Must honour <paramref name="cancellationToken"/> as the deadline.
/// </summary>
public interface IAnalyzer
{
    Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Answers synchronously in well under a millisecond (the built-in engine). The pipeline then analyses before
    /// it stores and writes each request once, already COMPLETED: a PROCESSING row nobody could ever see is not
    /// worth a database write. Slow analyzers (LLMs) keep the PROCESSING row while they work.
    /// </summary>
    bool IsInstant => false;

    /// <summary>
    /// <see cref="IsInstant"/> for one request: a request asking for an LLM profile (<see cref="AnalyzerRequest.Profile"/>)
    /// is not answered instantly even where the default analyzer is.
    /// </summary>
    bool AnswersInstantly(string? profile) => IsInstant;
}

/// <summary>What an analyzer needs from a request.</summary>
/// <param name="Priority">LOW/NORMAL/HIGH/CRITICAL (upper case). Does not change severity; may route to an LLM.</param>
/// <param name="Language">en | ko.</param>
/// <param name="Profile">An <c>ai.profiles</c> name this request asks for (e.g. local | cloud); null: the default analyzer.</param>
/// <param name="Caller">Who asked ("" for Kafka/Heimdall and the CLI, else the API caller): answers kept for reuse are
/// kept per caller, so one caller's crafted excerpt can never become another caller's answer.</param>
public sealed record AnalyzerRequest(
    string LogContent,
    string ServiceName,
    string Environment,
    string Priority = "NORMAL",
    string Language = "en",
    string? Profile = null,
    string Caller = "");

/// <summary>An analyzer's answer plus what it cost.</summary>
/// <param name="Engine">builtin | llm | hybrid — which path produced <paramref name="Report"/>.</param>
/// <param name="Model">The value published in the result's <c>model</c> field.</param>
/// <param name="TokensUsed">LLM tokens spent (0 for the built-in engine and for cache hits).</param>
/// <param name="CacheHit">The LLM answer came from the fingerprint cache.</param>
/// <param name="Fallback">An LLM was wanted but the built-in answer was used (failure, timeout, open breaker).</param>
/// <param name="PromptTokens">Of <paramref name="TokensUsed"/>, the prompt's.</param>
/// <param name="CompletionTokens">Of <paramref name="TokensUsed"/>, the answer's.</param>
public sealed record AnalyzerOutcome(
    AnalysisReport Report,
    string Engine,
    string Model,
    int TokensUsed = 0,
    bool CacheHit = false,
    bool Fallback = false,
    int PromptTokens = 0,
    int CompletionTokens = 0);
