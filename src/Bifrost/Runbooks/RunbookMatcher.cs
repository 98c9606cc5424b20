using Bifrost.Knowledge;

namespace Bifrost.Runbooks;

/// <summary>
/// Scores candidate sections for a query, the same for both stores (their full-text ranks are on different scales
/// and only choose candidates). score = 0.5 × same category + 0.5 × lexical coverage, where coverage is the weighted
/// share of the query's salient words the section contains (a word in the title counts 1.5×, capped at 1). So a
/// section about the same category that shares none of the excerpt's words scores 0.5, one sharing all of them but
/// about another category scores at most 0.5, and only a section that is both reaches the top. Two exact signals
/// on top: a section that names the analysis's fingerprint scores 1; one whose title names the service gains 0.1.
/// </summary>
public static class RunbookMatcher
{
    public const double CategoryWeight = 0.5;
    public const double TitleBoost = 1.5;
    public const double ServiceTitleBonus = 0.1;

    public sealed record Scored(RunbookSection Section, double Score, IReadOnlyList<string> Matched);

    /// <summary>Every candidate with its score, best first (ties: the store's rank, then position).</summary>
    public static IReadOnlyList<Scored> Rank(RunbookQuery query, IReadOnlyList<RunbookCandidate> candidates, Func<RunbookSection, SectionWords> wordsOf)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidates);
        var total = query.Terms.Sum(t => t.Weight);
        return
        [
            .. candidates.Select(c =>
            {
                var words = wordsOf(c.Section);
                var matched = new List<string>();
                var covered = 0.0;
                foreach (var (stem, weight) in query.Terms)
                {
                    if (words.Title.Contains(stem))
                    {
                        covered += weight * TitleBoost;
                        matched.Add(stem);
                    }
                    else if (words.Body.Contains(stem))
                    {
                        covered += weight;
                        matched.Add(stem);
                    }
                }

                var lexical = total == 0 ? 0 : Math.Min(1, covered / total);
                var sameCategory = query.Category is not null && c.Section.Category == query.Category ? 1 : 0;
                var score = CategoryWeight * sameCategory + (1 - CategoryWeight) * lexical;
                if (query.ServiceName is { } service && c.Section.Title.Contains(service, StringComparison.OrdinalIgnoreCase))
                {
                    score += ServiceTitleBonus;
                }

                if (query.Fingerprint is { } fp && (words.Body.Contains(fp) || words.Title.Contains(fp)))
                {
                    score = 1;
                    matched.Add(fp);
                }

                score = Math.Round(Math.Min(1, score), 3);
                return (Scored: new Scored(c.Section, score, matched), c.Rank);
            })
            .OrderByDescending(x => x.Scored.Score).ThenByDescending(x => x.Rank).ThenBy(x => x.Scored.Section.Id)
            .Select(x => x.Scored),
        ];
    }
}

/// <summary>A section's word stems, title and body apart (computed once per section and kept until runbooks change).</summary>
public sealed record SectionWords(HashSet<string> Title, HashSet<string> Body)
{
    public static SectionWords Of(RunbookSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new SectionWords(KnowledgeText.StemSet(section.Title), KnowledgeText.StemSet(section.Body));
    }
}
