using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Redaction;

namespace Bifrost.Llm;

/// <summary>
/// Prepares the untrusted excerpt for a prompt: redacted first (nothing secret leaves the process), then reduced to
/// the token budget by the engine's salient windows (error lines with context, the end of the log), not a blind cut.
/// </summary>
internal static class ExcerptBudget
{
    /// <summary>Rough size of a token in log text; budgets are approximate by design.</summary>
    public const int CharsPerToken = 4;

    public static string Prepare(string excerpt, int maxInputTokens)
    {
        var redacted = Redactor.Redact(excerpt);
        return SalientWindows.Reduce(redacted, Math.Max(256, maxInputTokens) * CharsPerToken).TrimEnd('\n');
    }
}
