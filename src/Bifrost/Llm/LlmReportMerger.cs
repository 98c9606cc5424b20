using Bifrost.Analysis;

namespace Bifrost.Llm;

/// <summary>
/// Publishes the LLM's validated fields over the built-in report, field by field. Any field the model did not give
/// sensibly keeps the built-in value, and <c>model</c> then says both (<c>mistral-7b+bifrost-builtin/1.0</c>).
/// Evidence and fingerprint always come from the engine: they are facts about the excerpt, not opinions.
/// </summary>
internal static class LlmReportMerger
{
    public static (AnalysisReport Report, bool Mixed) Merge(AnalysisReport builtin, LlmAnswer answer, string llmModel)
    {
        var category = ChooseCategory(builtin.Category, answer.Category);
        var mixed = answer.Summary is null || answer.RootCause is null || answer.Recommendation is null
            || answer.Severity is null || answer.Confidence is null || category != answer.Category;
        var report = builtin with
        {
            Summary = answer.Summary ?? builtin.Summary,
            RootCause = answer.RootCause ?? builtin.RootCause,
            Recommendation = answer.Recommendation ?? builtin.Recommendation,
            Severity = answer.Severity ?? builtin.Severity,
            Category = category,
            Confidence = Combine(answer.Confidence, answer.Category == category ? category : null, builtin),
            Model = mixed ? $"{llmModel}+{builtin.Model}" : llmModel,
        };
        return (report, mixed);
    }

    /// <summary>An LLM's "unknown" does not erase a signature the engine recognised.</summary>
    private static string ChooseCategory(string builtin, string? llm) =>
        llm is null || (llm == TaxonomyCategories.Unknown && builtin != TaxonomyCategories.Unknown) ? builtin : llm;

    /// <summary>
    /// Confidence in the published category. The model's self-report (0.5 when it gave none) is discounted because
    /// small models over-state it; agreement with the engine raises it (two independent signals, noisy-OR), and
    /// disagreement with a confident engine lowers it. When the engine's category is published, the engine's own
    /// (calibrated) confidence stands.
    /// </summary>
    internal static double Combine(double? llmConfidence, string? llmCategory, AnalysisReport builtin)
    {
        if (llmCategory is null)
        {
            return builtin.Confidence;
        }

        var model = 0.85 * (llmConfidence ?? 0.5);
        double combined;
        if (builtin.Category == TaxonomyCategories.Unknown || llmCategory == TaxonomyCategories.Unknown)
        {
            combined = model;
        }
        else if (builtin.Category == llmCategory)
        {
            combined = 1 - ((1 - model) * (1 - builtin.Confidence));
        }
        else
        {
            combined = model * (1 - (0.6 * builtin.Confidence));
        }

        return Math.Round(Math.Clamp(combined, 0.01, 0.99), 2);
    }
}
