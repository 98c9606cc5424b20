using Bifrost.Knowledge;

namespace Bifrost.Runbooks;

/// <summary>
/// Scores candidate sections for a query, the same for both stores (their full-text ranks are on different scales
/// and only choose candidates). score = 0.5 × same category + 0.5 × lexical coverage, where coverage is the weighted
/// share of the query's salient words the section contains (a word in the title counts 1.5×, capped at 1). So a
/// section about the same category that shares none of the excerpt's words scores 0.5, one sharing all of them but
/// about another category scores at most 0.5, and only a section that is both reaches the top. Two exact signals
/// on top: a section that names the analysis's fingerprint scores 1; one of the same category whose title names the
/// service gains 0.1 (a team's own runbook for the failure before the generic one).
/// </summary>
public static class RunbookMatcher
{
    public const double CategoryWeight = 0.5;
    public const double TitleBoost = 1.5;
    public const double ServiceTitleBonus = 0.1;

    public sealed record Scored(RunbookSection Section, double Score, IReadOnlyList<string> Matched);

    /// <summary>
    /// The best <paramref name="take"/> candidates with their scores, best first (ties: the store's rank, then id).
    /// Scores are computed without allocating; only the returned ones list their matched words.
    /// </summary>
    public static IReadOnlyList<Scored> Rank(RunbookQuery query, IReadOnlyList<RunbookCandidate> candidates, Func<RunbookSection, SectionWords> wordsOf, int take = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(wordsOf);
        var total = 0.0;
        foreach (var (_, weight) in query.Terms)
        {
            total += weight;
        }

        var scores = new (double Score, double Rank, long Id, int At)[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            scores[i] = (Score(query, candidates[i].Section, wordsOf(candidates[i].Section), total, matched: null), candidates[i].Rank, candidates[i].Section.Id, i);
        }

        Array.Sort(scores, (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Rank != b.Rank ? b.Rank.CompareTo(a.Rank) : a.Id.CompareTo(b.Id));
        var result = new List<Scored>(Math.Min(take, scores.Length));
        foreach (var (score, _, _, at) in scores.Take(take))
        {
            var matched = new List<string>();
            var section = candidates[at].Section;
            Score(query, section, wordsOf(section), total, matched);
            result.Add(new Scored(section, score, matched));
        }

        return result;
    }

    private static double Score(RunbookQuery query, RunbookSection section, SectionWords words, double total, List<string>? matched)
    {
        var covered = 0.0;
        foreach (var (stem, weight) in query.Terms)
        {
            if (words.Title.Contains(stem))
            {
                covered += weight * TitleBoost;
                matched?.Add(stem);
            }
            else if (words.Body.Contains(stem))
            {
                covered += weight;
                matched?.Add(stem);
            }
        }

        var lexical = total == 0 ? 0 : Math.Min(1, covered / total);
        var sameCategory = query.Category is not null && section.Category == query.Category ? 1 : 0;
        var score = CategoryWeight * sameCategory + (1 - CategoryWeight) * lexical;
        if (sameCategory == 1 && query.ServiceName is { } service && section.Title.Contains(service, StringComparison.OrdinalIgnoreCase))
        {
            score += ServiceTitleBonus;
        }

        if (query.Fingerprint is { } fingerprint && KnowledgeText.Stem(fingerprint) is var fp && (words.Body.Contains(fp) || words.Title.Contains(fp)))
        {
            score = 1;
            matched?.Add(fp);
        }

        return Math.Round(Math.Min(1, score), 3);
    }
}

/// <summary>A section's word stems, title and body apart (computed once per section and kept until runbooks change).</summary>
public sealed record SectionWords(HashSet<string> Title, HashSet<string> Body)
{
    public static SectionWords Of(RunbookSection section) => Of(section, w => w);

    /// <param name="intern">Returns the one shared copy of a word (sections kept in memory share most of their words).</param>
    public static SectionWords Of(RunbookSection section, Func<string, string> intern)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(intern);
        HashSet<string> Set(string text) => [.. KnowledgeText.StemSet(text).Select(intern)];
        return new SectionWords(Set(section.Title), Set(section.Body));
    }
}
