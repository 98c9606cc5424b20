using System.Collections.Concurrent;
using System.Text;
using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Signatures;

namespace Bifrost.Analysis.Explanation;

/// <summary>Summary, root cause and recommendation for one verdict, in English or Korean.</summary>
public sealed record ExplanationText(string Summary, string RootCause, string Recommendation);

/// <summary>Writes the explanation for the excerpt at hand from the category's text and the entities it names.</summary>
public static class Explainer
{
    private static readonly ConcurrentDictionary<string, EntityFields> FieldsByCategory = new(StringComparer.Ordinal);

    /// <summary>
    /// The entity fields the explanation of <paramref name="category"/> can read, in either language: the placeholders
    /// of its texts and the facts its details sentence lists. The classifier extracts only these.
    /// </summary>
    internal static EntityFields EntitiesNeeded(string category) => FieldsByCategory.GetOrAdd(category, static c =>
    {
        var text = CategoryTexts.For(c);
        var fields = Slots.DetailFields(c);
        foreach (var lang in (LangText[])[text.En, text.Ko])
        {
            foreach (var template in (string[])[lang.Summary, lang.Cause, .. lang.Steps])
            {
                fields |= Slots.TemplateFields(template);
            }
        }

        return fields;
    });


    public static ExplanationText Explain(Classification verdict, LogEvent? deciding, string? service, string? language)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var ko = string.Equals(language?.Trim(), "ko", StringComparison.OrdinalIgnoreCase);
        if (deciding is null)
        {
            return ko
                ? new ExplanationText("분석할 로그 줄이 없습니다 (빈 발췌).", "발췌가 비어 있거나 공백뿐이라 원인을 판단할 수 없습니다.", "1. 오류가 발생한 시각 전후의 로그 줄을 포함해 다시 요청하세요.")
                : new ExplanationText("The excerpt contains no log lines.", "The excerpt is empty or whitespace only, so there is nothing to attribute a cause to.", "1. Send the log lines around the time of the failure.");
        }

        var text = CategoryTexts.For(verdict.Category);
        var slots = new Slots(verdict.Entities, service, ko, deciding);
        var lang = ko ? text.Ko : text.En;
        var summary = slots.Fill(lang.Summary);
        var cause = slots.Fill(lang.Cause) + slots.Details(verdict.Category);
        // numbered steps, one per line; a step whose text filled to nothing is left out and not numbered
        var capacity = 0;
        foreach (var step in lang.Steps)
        {
            capacity += step.Length + 64;
        }

        var steps = new StringBuilder(capacity);
        var number = 0;
        foreach (var step in lang.Steps)
        {
            var filled = slots.Fill(step);
            if (filled.Length > 0)
            {
                (number > 0 ? steps.Append('\n') : steps).Append(++number).Append(". ").Append(filled);
            }
        }

        var recommendation = steps.ToString();
        var quote = slots.Quote();
        if (quote.Length > 0)
        {
            summary += ko ? $" (근거: {quote})" : $" (evidence: {quote})";
        }

        return new ExplanationText(summary, cause, recommendation);
    }
}
