using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Signatures;

/// <summary>
/// Parses <see cref="Data"/> once and finds every signature hit in a block of text in one pass:
/// a multi-string search (<see cref="SearchValues{T}"/>) for the literal needles, plus the few regex
/// signatures, all bounded by match timeouts.
/// </summary>
internal static partial class SignatureTable
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(100);

    public static IReadOnlyList<Signature> All { get; }

    /// <summary>Context needles: they change which category a network failure belongs to.</summary>
    public static IReadOnlyDictionary<string, string[]> Contexts { get; } = new Dictionary<string, string[]>
    {
        ["database"] = [":5432", ":3306", ":1433", ":1521", ":27017", "port 5432", "port 3306", "\"port\":5432", "\"port\":3306", "jdbc", "npgsql", "psycopg", "sqlalchemy", "hikari", "postgres", "mysql", "mariadb", "sqlserver", "sql server", "sqlclient", "sqlexception", "pg_hba", "django.db", "node_modules/pg/", "pq:", "pgx", "gorm", "sequelize", "typeorm", "prisma", "mongo", "oracle", "database", "entityframework"],
        ["cache"] = ["redis", ":6379", "port 6379", "memcache", ":11211", "stackexchange.redis", "lettuce", "jedis", "ioredis"],
        ["broker"] = ["kafka", ":9092", ":9093", "rabbitmq", "amqp", ":5672", "nats:", "broker"],
    };

    private static readonly Dictionary<char, (string Needle, int[] Ids)[]> ByFirstChar;
    private static readonly SearchValues<string> Needles;
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

        ByFirstChar = byNeedle.GroupBy(kv => kv.Key[0])
            .ToDictionary(g => g.Key, g => g.Select(kv => (kv.Key, kv.Value.ToArray())).OrderByDescending(x => x.Key.Length).ToArray());
        Needles = SearchValues.Create([.. byNeedle.Keys], StringComparison.Ordinal);
        RegexOnly = [.. regexOnly];
    }

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
        var pos = 0;
        while (pos < span.Length)
        {
            var found = span[pos..].IndexOfAny(Needles);
            if (found < 0)
            {
                break;
            }

            var at = pos + found;
            if (ByFirstChar.TryGetValue(span[at], out var candidates))
            {
                foreach (var (needle, ids) in candidates)
                {
                    if (!span[at..].StartsWith(needle, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (var id in ids)
                    {
                        if (id < 0 || Holds(All[id], lower, original, at))
                        {
                            onHit(id, at);
                        }
                    }
                }
            }

            pos = at + 1;
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
            return signature.Pattern is null || signature.Pattern.IsMatch(lower.AsSpan(start, end - start));
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
        var parts = line.Split('|', StringSplitOptions.TrimEntries);
        if (parts.Length < 3)
        {
            throw new InvalidOperationException("bad signature line: " + line);
        }

        // a regex may itself contain '|': everything between the kind and the last options column is the pattern
        var hasOptions = parts.Length > 3 && OptionsColumn().IsMatch(parts[^1]);
        var pattern = string.Join('|', parts[2..(hasOptions ? ^1 : ^0)]);
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
                var caseSensitive = options.Split(' ').Contains("cs");
                regex = new Regex(term[3..], (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase) | RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.Compiled, RegexBudget);
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

        return new Signature(parts[0], kind, [.. needles], regex, weight, severity, line);
    }

    [GeneratedRegex(@"^(?:(?:[CHML]|cs|w=\d+(?:\.\d+)?)(?:\s+|$))+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 50)]
    private static partial Regex OptionsColumn();
}
