using Bifrost.Analysis;

namespace Bifrost.Llm;

/// <summary>
/// The fields of an LLM reply that passed validation; null = the model did not give that field sensibly, so the
/// built-in engine's value is published instead.
/// </summary>
internal sealed record LlmAnswer(
    string? Summary,
    string? RootCause,
    string? Recommendation,
    Severity? Severity,
    double? Confidence,
    string? Category)
{
    public static readonly LlmAnswer Unusable = new(null, null, null, null, null, null);

    public bool IsUsable => Summary is not null || RootCause is not null || Recommendation is not null
        || Severity is not null || Category is not null;
}

/// <summary>An LLM answer plus what it cost to get (tokens across the call and any repair turn) and which model gave it.</summary>
internal sealed record LlmCallResult(LlmAnswer Answer, int TokensUsed, string ModelId, int PromptTokens = 0, int CompletionTokens = 0);
