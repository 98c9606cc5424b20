using System.Collections.Concurrent;
using Bifrost.Analysis.Redaction;
using Bifrost.Knowledge;
using Microsoft.Extensions.Options;

namespace Bifrost.Runbooks;

/// <summary>What a batch of lookups found: per request its citations; and the answers computed (not cached) by this call, to store.</summary>
public sealed record RunbookLookupResult(IReadOnlyList<Citation>[] Citations, IReadOnlyList<ComputedLookup> Computed);

/// <summary>One analysis's runbook question.</summary>
/// <param name="SalientLines">The lines that decided the analysis (its evidence, redacted).</param>
public sealed record RunbookLookupRequest(string Category, string Fingerprint, string ServiceName, IReadOnlyList<string> SalientLines);

/// <summary>
/// Finds the runbook sections to cite for analyses. Answers are kept per lookup key (category, fingerprint, service) —
/// the same failure asks the same question — and all misses of a batch go to the store in one round trip; each answer
/// computed is returned for storing once (<see cref="RunbookLookupResult.Computed"/>). Everything is dropped when the
/// runbooks change (<see cref="ReloadAsync"/>); with no sections stored it is never asked at all.
/// </summary>
public sealed class RunbookLookup(IRunbookStore store, IOptions<KnowledgeOptions> options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private volatile State _state = new(store, 0);

    /// <summary>Whether any section is stored (as of the last reload).</summary>
    public bool HasSections => _state.SectionCount > 0;

    public long Sections => _state.SectionCount;

    /// <summary>Re-reads the section count and forgets every cached answer and section.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken) =>
        _state = new State(store, await store.CountAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The lookup key of an analysis: what its citations are cached and stored by.</summary>
    public static string Key(string category, string fingerprint, string serviceName) => $"{category}\n{fingerprint}\n{serviceName}";

    /// <summary>The citations for each request (empty: nothing good enough), in input order, and the answers computed for it.</summary>
    public async Task<RunbookLookupResult> FindManyAsync(IReadOnlyList<RunbookLookupRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var state = _state;
        var results = new IReadOnlyList<Citation>[requests.Count];
        if (state.SectionCount == 0)
        {
            Array.Fill(results, []);
            return new RunbookLookupResult(results, []);
        }

        var misses = new Dictionary<string, (RunbookQuery Query, RunbookLookupRequest Request, List<int> At)>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var key = Key(r.Category, r.Fingerprint, r.ServiceName);
            if (state.Answers.TryGetValue(key, out var cached))
            {
                results[i] = cached;
            }
            else if (misses.TryGetValue(key, out var miss))
            {
                miss.At.Add(i);
            }
            else
            {
                misses[key] = (Query(r), r, [i]);
            }
        }

        if (misses.Count == 0)
        {
            return new RunbookLookupResult(results, []);
        }

        var keys = misses.Keys.ToList();
        var o = options.Value.Runbooks;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds()); // as stored: milliseconds
        var computed = new List<ComputedLookup>(keys.Count);
        if (state.Answers.Count + keys.Count > o.CacheSize)
        {
            state.Answers.Clear(); // full: start over rather than stop caching
        }

        // Another category's section scores 0.5 at most: searched across categories only when the threshold lets one through.
        var anyCategory = o.MinScore <= RunbookMatcher.CategoryWeight;
        var found = await store.SearchManyAsync([.. keys.Select(k => misses[k].Query.ToSearch(anyCategory, Math.Max(5, o.MaxCitations)))], cancellationToken).ConfigureAwait(false);
        await FetchSectionsAsync(state, found.SelectMany(h => h).Select(h => h.SectionId), cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < keys.Count; k++)
        {
            var (query, _, positions) = misses[keys[k]];
            var citations = Choose(query, Candidates(state, found[k]), state, o);
            if (o.CacheSize > 0)
            {
                state.Answers[keys[k]] = citations;
            }

            computed.Add(new ComputedLookup(keys[k], at, citations));
            foreach (var i in positions)
            {
                results[i] = citations;
            }
        }

        return new RunbookLookupResult(results, computed);
    }

    /// <summary>Sections (and their words) are read once per runbook version: a search returns ids, only unseen ones are fetched.</summary>
    internal static async Task FetchSectionsAsync(State state, IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        var missing = ids.Where(id => !state.Sections.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var section in await state.Store.GetSectionsAsync(missing, cancellationToken).ConfigureAwait(false))
        {
            state.Sections.TryAdd(section.Id, (section, SectionWords.Of(section, state.Intern), new Lazy<string[]>(() => QuoteLines(section.Body))));
        }
    }

    /// <summary>The hits whose sections are known (one removed between search and fetch is skipped).</summary>
    internal static List<RunbookCandidate> Candidates(State state, IReadOnlyList<RunbookHit> hits) =>
        [.. hits.Where(h => state.Sections.ContainsKey(h.SectionId)).Select(h => new RunbookCandidate(state.Sections[h.SectionId].Section, h.Rank))];

    /// <summary>The query for a request: its category and salient words, plus its fingerprint and service as exact words.</summary>
    public static RunbookQuery Query(RunbookLookupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunbookQuery.From(request.Category, request.SalientLines, request.Fingerprint, request.ServiceName);
    }

    private static Citation[] Choose(RunbookQuery query, IReadOnlyList<RunbookCandidate> candidates, State state, RunbookOptions o)
    {
        var ranked = RunbookMatcher.Rank(query, candidates, s => state.Sections[s.Id].Words, Math.Max(1, o.MaxCitations));
        return
        [
            .. ranked.Where(s => s.Score >= o.MinScore)
                .Select(s => new Citation(s.Section.Id, s.Section.SourcePath, s.Section.Title, s.Section.Anchor, s.Score, Quote(state.Sections[s.Section.Id].Lines.Value, s.Matched, o.QuoteChars))),
        ];
    }

    /// <summary>The section's line with the most matched words (markdown emphasis removed), redacted first, clipped second.</summary>
    public static string Quote(string body, IReadOnlyList<string> matched, int maxChars) => Quote(QuoteLines(body), matched, maxChars);

    /// <summary>A body's lines as quotes: markdown emphasis and list markers removed, each redacted (once per section and runbook version).</summary>
    public static string[] QuoteLines(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return
        [
            .. body.Split('\n')
                .Select(raw => raw.Replace("**", "", StringComparison.Ordinal).Trim().TrimStart('-', '*', ' '))
                .Where(line => line.Length > 0)
                .Select(Redactor.Redact),
        ];
    }

    public static string Quote(string[] lines, IReadOnlyList<string> matched, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var wanted = new HashSet<string>(matched, StringComparer.Ordinal);
        var best = "";
        var bestHits = -1;
        foreach (var line in lines)
        {
            var hits = KnowledgeText.Words(line).Select(KnowledgeText.Stem).Distinct(StringComparer.Ordinal).Count(wanted.Contains);
            if (hits > bestHits)
            {
                (best, bestHits) = (line, hits);
            }
        }

        if (best.Length <= maxChars)
        {
            return best;
        }

        var cut = best.LastIndexOf(' ', Math.Max(0, maxChars - 1), Math.Min(maxChars, 40));
        return best[..(cut > 0 ? cut : maxChars)].TrimEnd() + "…";
    }

    /// <summary>What one runbook version's lookups share: answers by key, sections by id, one copy of each word.</summary>
    internal sealed class State(IRunbookStore store, long sections)
    {
        public IRunbookStore Store { get; } = store;

        public long SectionCount { get; } = sections;

        public ConcurrentDictionary<string, Citation[]> Answers { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<long, (RunbookSection Section, SectionWords Words, Lazy<string[]> Lines)> Sections { get; } = new();

        private readonly ConcurrentDictionary<string, string> _words = new(StringComparer.Ordinal);

        /// <summary>Runbooks share most of their words: each is kept once however many sections use it.</summary>
        public string Intern(string word) => _words.GetOrAdd(word, word);
    }
}
