using Bifrost.Analysis.Normalization;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Signatures;

/// <summary>
/// Parses <see cref="Data"/> once and finds every signature hit in a block of text in one pass:
/// a 3-character-prefix bitmap scan for the literal needles, plus the few regex
/// signatures, all bounded by match timeouts.
/// </summary>
internal static partial class SignatureTable
{
    // a safety net against pathological input, not a performance knob: inputs are capped, matches take microseconds
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(500);

    public static IReadOnlyList<Signature> All { get; }

    /// <summary>Context needles: they change which category a network failure belongs to.</summary>
    public static IReadOnlyDictionary<string, string[]> Contexts { get; } = new Dictionary<string, string[]>
    {
        ["database"] = [":5432", ":3306", ":1433", ":1521", ":27017", "port 5432", "port 3306", "\"port\":5432", "\"port\":3306", "jdbc", "npgsql", "psycopg", "sqlalchemy", "hikari", "postgres", "mysql", "mariadb", "sqlserver", "sql server", "sqlclient", "sqlexception", "pg_hba", "django.db", "node_modules/pg/", "pq:", "pgx", "gorm", "sequelize", "typeorm", "prisma", "mongo", "oracle", "database", "entityframework"],
        ["cache"] = ["redis", ":6379", "port 6379", "memcache", ":11211", "stackexchange.redis", "lettuce", "jedis", "ioredis"],
        ["broker"] = ["kafka", ":9092", ":9093", "rabbitmq", "amqp", ":5672", "nats:", "broker"],
    };

    // Candidates by their first three characters, and a bitmap of which 3-char prefixes exist: the scan tests one
    // bit per position (a few ns) and only looks at the handful of needles that can start where a bit is set.
    // (SearchValues<string> with ~800 needles measured ~50 ns/char here.) The bitmap is indexed by a 16-bit hash of
    // the prefix, so it is 8 KB and stays in L1 between analyses (a direct 21-bit map is 256 KB and missed the cache);
    // a set bit is confirmed by the dictionary lookup, so a hash collision costs one lookup and changes nothing.
    private const int PrefixBits = 1 << 16;
    private static readonly ulong[] PrefixMap = new ulong[PrefixBits / 64];
    private static readonly Dictionary<int, (string Needle, int[] Ids)[]> ByPrefix;
    private static readonly (string Needle, int[] Ids)[] NonAsciiNeedles;
    private static readonly (int Id, Regex Regex, bool CaseSensitive)[] RegexOnly;

    static SignatureTable()
    {
        var list = new List<Signature>();
        foreach (var raw in Data.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            list.Add(Parse(line));
        }

        All = list;
        var byNeedle = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var regexOnly = new List<(int, Regex, bool)>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Needles.Length == 0)
            {
                regexOnly.Add((i, list[i].Pattern!, list[i].Source.Contains("| cs", StringComparison.Ordinal)));
                continue;
            }

            Add(byNeedle, list[i].Needles[0], i);
        }

        foreach (var (name, needles) in Contexts)
        {
            foreach (var needle in needles)
            {
                Add(byNeedle, needle, -1 - ContextIndex(name));
            }
        }

        var ascii = byNeedle.Where(kv => kv.Key.Length >= 3 && kv.Key[0] < 128 && kv.Key[1] < 128 && kv.Key[2] < 128).ToList();
        ByPrefix = ascii.GroupBy(kv => PrefixKey(kv.Key[0], kv.Key[1], kv.Key[2]))
            .ToDictionary(g => g.Key, g => g.Select(kv => (kv.Key, kv.Value.ToArray())).OrderByDescending(x => x.Key.Length).ToArray());
        foreach (var key in ByPrefix.Keys)
        {
            var bit = PrefixBit(key);
            PrefixMap[bit >> 6] |= 1UL << (bit & 63);
        }

        NonAsciiNeedles = [.. byNeedle.Where(kv => !ascii.Contains(kv)).Select(kv => (kv.Key, kv.Value.ToArray()))];
        RegexOnly = [.. regexOnly];

        // compile (JIT) every regex once here, so the first real match is not charged for it against its timeout
        foreach (var signature in list)
        {
            if (signature.Pattern is not null)
            {
                Rx.IsMatch(signature.Pattern, "warm-up line: error 500 at host:5432");
            }
        }
    }

    /// <summary>How many needle start positions the multi-string search reports (benchmark breakdown only).</summary>
    internal static int RawHits(string lower)
    {
        var count = 0;
        for (var at = 0; at + 2 < lower.Length; at++)
        {
            if ((lower[at] | lower[at + 1] | lower[at + 2]) < 128)
            {
                var key = PrefixKey(lower[at], lower[at + 1], lower[at + 2]);
                count += ByPrefix.ContainsKey(key) ? 1 : 0;
            }
        }

        return count;
    }

    private static int PrefixKey(char a, char b, char c) => (a << 14) | (b << 7) | c;

    /// <summary>The 21 bits of a <see cref="PrefixKey"/> (three 7-bit ASCII chars).</summary>
    private const int KeyMask = (1 << 21) - 1;

    /// <summary>Fibonacci hash of a 21-bit prefix key down to 16 bits (the bitmap index).</summary>
    private static int PrefixBit(int key) => (int)(((uint)key * 0x9E3779B1u) >> 16);

    public static int ContextIndex(string name) => name switch
    {
        "database" => 0,
        "cache" => 1,
        _ => 2,
    };

    /// <summary>
    /// Reports each signature hit as (signature id, offset) and each context needle as (-1 - context, offset).
    /// <paramref name="lower"/> is the lower-cased text, <paramref name="original"/> the same text as written.
    /// Conjunctions (<c>a &amp;&amp; b</c>) must hold within the line holding the first needle.
    /// </summary>
    public static void Scan(string lower, string original, Action<int, int> onHit)
    {
        var span = lower.AsSpan();
        var map = PrefixMap;
        // the 3-char key is rolled along (7 bits per char, 21 bits kept) instead of re-read at every position;
        // it is used once the last three chars are all ASCII, so bits from before a non-ASCII char are shifted out
        var key = 0;
        var ascii = 0;
        for (var end = 0; end < span.Length; end++)
        {
            var c = span[end];
            if (c >= 128)
            {
                ascii = 0;
                continue;
            }

            key = ((key << 7) | c) & KeyMask;
            if (++ascii < 3)
            {
                continue;
            }

            var at = end - 2;
            var bit = PrefixBit(key);
            if ((map[bit >> 6] & (1UL << (bit & 63))) == 0 || !ByPrefix.TryGetValue(key, out var candidates))
            {
                continue;
            }

            foreach (var (needle, ids) in candidates)
            {
                if (!span[at..].StartsWith(needle, StringComparison.Ordinal))
                {
                    continue;
                }

                Report(ids, lower, original, at, onHit);
            }
        }

        foreach (var (needle, ids) in NonAsciiNeedles)
        {
            for (var at = lower.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = lower.IndexOf(needle, at + 1, StringComparison.Ordinal))
            {
                Report(ids, lower, original, at, onHit);
            }
        }

        foreach (var (id, regex, caseSensitive) in RegexOnly)
        {
            try
            {
                foreach (var match in regex.EnumerateMatches(caseSensitive ? original : lower))
                {
                    onHit(id, match.Index);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // bounded: a pathological line costs at most the budget and simply does not match
            }
        }
    }

    private static void Report(int[] ids, string lower, string original, int at, Action<int, int> onHit)
    {
        foreach (var id in ids)
        {
            if (id < 0 || Holds(All[id], lower, original, at))
            {
                onHit(id, at);
            }
        }
    }

    private static bool Holds(Signature signature, string lower, string original, int at)
    {
        if (signature.Needles.Length == 1 && signature.Pattern is null)
        {
            return true;
        }

        var start = at == 0 ? 0 : lower.LastIndexOf('\n', at - 1) + 1;
        var end = lower.IndexOf('\n', at);
        if (end < 0)
        {
            end = lower.Length;
        }

        var line = lower.AsSpan(start, end - start);
        for (var i = 1; i < signature.Needles.Length; i++)
        {
            if (!line.Contains(signature.Needles[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        try
        {
            // both texts have the same line offsets: lower-casing is per char (invariant), lengths match
            var text = signature.CaseSensitive ? original : lower;
            return signature.Pattern is null || signature.Pattern.IsMatch(text.AsSpan(start, end - start));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static void Add(Dictionary<string, List<int>> map, string needle, int id)
    {
        if (!map.TryGetValue(needle, out var ids))
        {
            map[needle] = ids = [];
        }

        ids.Add(id);
    }

    private static Signature Parse(string line)
    {
        // columns are separated by " | "; a regex may contain '|' (without spaces around it), which stays intact
        var parts = line.Split(" | ", StringSplitOptions.TrimEntries);
        if (parts.Length < 3)
        {
            throw new InvalidOperationException("bad signature line: " + line);
        }

        // everything between the kind and the last options column is the pattern
        var hasOptions = parts.Length > 3 && Rx.IsMatch(OptionsColumn(), parts[^1]);
        var pattern = string.Join(" | ", parts[2..(hasOptions ? ^1 : ^0)]);
        var options = hasOptions ? parts[^1] : string.Empty;
        var kind = parts[1] switch
        {
            "T" => EvidenceKind.ExceptionType,
            "M" => EvidenceKind.Message,
            "S" => EvidenceKind.StatusCode,
            _ => EvidenceKind.Hint,
        };

        var needles = new List<string>();
        Regex? regex = null;
        foreach (var term in pattern.Split("&&", StringSplitOptions.TrimEntries))
        {
            if (term.StartsWith("re:", StringComparison.Ordinal))
            {
                // non-case-sensitive patterns run on lower-cased text, so no IgnoreCase (it slows matching down)
                regex = new Regex(term[3..], RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.Compiled, RegexBudget);
            }
            else
            {
                needles.Add(term.ToLowerInvariant());
            }
        }

        var weight = Signature.DefaultWeight(kind);
        Severity? severity = null;
        foreach (var option in options.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (option.StartsWith("w=", StringComparison.Ordinal))
            {
                weight = double.Parse(option[2..], CultureInfo.InvariantCulture);
            }
            else if (option is "C" or "H" or "M" or "L")
            {
                severity = option switch { "C" => Severity.CRITICAL, "H" => Severity.HIGH, "M" => Severity.MEDIUM, _ => Severity.LOW };
            }
        }

        if (needles.Count == 0)
        {
            throw new InvalidOperationException("every signature needs a literal anchor (a regex alone would scan every line): " + line);
        }

        return new Signature(parts[0], kind, [.. needles], regex, weight, severity, line) { CaseSensitive = options.Split(' ').Contains("cs") };
    }

    [GeneratedRegex(@"^(?:(?:[CHML]|cs|w=\d+(?:\.\d+)?)(?:\s+|$))+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OptionsColumn();
}
