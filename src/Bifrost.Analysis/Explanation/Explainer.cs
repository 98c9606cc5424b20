using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Signatures;

namespace Bifrost.Analysis.Explanation;

/// <summary>Summary, root cause and recommendation for one verdict, in English or Korean.</summary>
public sealed record ExplanationText(string Summary, string RootCause, string Recommendation);

/// <summary>Writes the explanation for the excerpt at hand from the category's text and the entities it names.</summary>
public static class Explainer
{
    public static ExplanationText Explain(Classification verdict, LogEvent? deciding, string? service, string? language)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var ko = string.Equals(language?.Trim(), "ko", StringComparison.OrdinalIgnoreCase);
        var text = CategoryTexts.For(verdict.Category);
        var slots = new Slots(verdict.Entities, service, ko, deciding);
        var lang = ko ? text.Ko : text.En;
        var summary = slots.Fill(lang.Summary);
        var cause = slots.Fill(lang.Cause) + slots.Details(verdict.Category);
        var steps = lang.Steps.Select(slots.Fill).Where(s => s.Length > 0).Select((s, i) => $"{i + 1}. {s}");
        var recommendation = string.Join("\n", steps);
        var quote = slots.Quote();
        if (quote.Length > 0)
        {
            summary += ko ? $" (근거: {quote})" : $" (evidence: {quote})";
        }

        return new ExplanationText(summary, cause, recommendation);
    }
}
