using System.Text.RegularExpressions;
using Bifrost.Knowledge;

namespace Bifrost.Runbooks;

/// <summary>
/// What an analysis looks for in the runbooks: its category, and the excerpt's salient words from the lines that
/// decided it — exception types and errno names weigh most, then the other informative words in order. The
/// category's own vocabulary (<see cref="CategoryVocabulary"/>) widens the full-text search but does not score:
/// a section must share the excerpt's words, not only its category, to earn its lexical half.
/// </summary>
/// <param name="Fingerprint">The failure's fingerprint: a section that names it (a team pasted it from an answer) is about this failure.</param>
/// <param name="ServiceName">A section whose title names the service is that service's own runbook.</param>
/// <param name="TermWords">The salient words as they appeared (the store stems them its own way).</param>
/// <param name="SearchWords"><paramref name="TermWords"/> and the category's vocabulary.</param>
public sealed partial record RunbookQuery(string? Category, IReadOnlyList<(string Stem, double Weight)> Terms, IReadOnlyList<string> TermWords, IReadOnlyList<string> SearchWords, string? Fingerprint = null, string? ServiceName = null)
{
    /// <summary>Salient words kept per query.</summary>
    public const int MaxTerms = 16;

    private const double ExceptionWeight = 3;

    public static RunbookQuery From(string? category, IEnumerable<string> salientLines, string? fingerprint = null, string? serviceName = null)
    {
        ArgumentNullException.ThrowIfNull(salientLines);
        var known = category is null or "unknown" ? null : category;
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        var words = new List<string>();
        void Add(string word, double weight)
        {
            var stem = KnowledgeText.Stem(word);
            if (weights.TryGetValue(stem, out var w))
            {
                weights[stem] = Math.Max(w, weight);
                return;
            }

            weights[stem] = weight;
            order.Add(stem);
            words.Add(word);
        }

        var lines = salientLines.ToList();
        foreach (var line in lines)
        {
            try
            {
                foreach (Match m in ExceptionName().Matches(line))
                {
                    var name = m.Groups["name"].Value.ToLowerInvariant();
                    if (KnowledgeText.IsInformative(name))
                    {
                        Add(name, ExceptionWeight);
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // The timeout is wall time: a preempted process can hit it on an ordinary line (seen at load ~70).
                // The line's words still count below at the plain weight; failing the whole batch's lookup would not.
            }
        }

        foreach (var line in lines)
        {
            foreach (var word in KnowledgeText.Informative(line))
            {
                Add(word, 1);
            }
        }

        var terms = order.Select(s => (s, weights[s])).OrderByDescending(t => t.Item2).Take(MaxTerms).ToList();
        var kept = new HashSet<string>(terms.Select(t => t.s), StringComparer.Ordinal);
        var fp = string.IsNullOrEmpty(fingerprint) || !fingerprint.All(char.IsLetterOrDigit) ? null : fingerprint.ToLowerInvariant();
        var termWords = words.Where(w => kept.Contains(KnowledgeText.Stem(w))).ToList();
        var search = termWords.Concat(CategoryVocabulary.WordsOf(known));
        var service = string.IsNullOrWhiteSpace(serviceName) || serviceName.Trim().Length < 3 ? null : serviceName.Trim();
        return new RunbookQuery(known, terms, termWords, [.. search.Distinct(StringComparer.Ordinal)], fp, service);
    }

    /// <summary>
    /// The store's side of the query (see <see cref="RunbookSearch"/>). Within the category only the scored words matter
    /// (a section sharing none of them scores 0.5 at most); across categories the category's vocabulary widens the search.
    /// </summary>
    public RunbookSearch ToSearch(bool anyCategory = false, int limit = 5) => new(Category, anyCategory ? SearchWords : TermWords, Fingerprint, anyCategory, limit);

    /// <summary>A CamelCase type ending in Exception/Error/Fault/Timeout (the last segment of a dotted name), or an errno name (ECONNREFUSED, EACCES).</summary>
    [GeneratedRegex(@"(?<![\w$])(?:[\w$]+\.)*(?<name>[A-Z][A-Za-z0-9]*(?:Exception|Error|Fault|Timeout)|E[A-Z]{3,}[A-Z0-9_]*)(?![\w$])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ExceptionName();
}
