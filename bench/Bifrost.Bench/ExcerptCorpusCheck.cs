using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bifrost.Bench;

/// <summary>
/// The rules eval/excerpts/{dev,test}.jsonl must keep (see eval/excerpts/README.md): every row has the schema's string
/// fields and nothing else, ids are unique across both files, labels come from the taxonomy, and each row sits in the file
/// its frozen split rule names. Pure: the caller reads the files and passes the category ids.
/// Compiled into the bench (excerpts-check) and linked into the test suite.
/// </summary>
internal static partial class ExcerptCorpusCheck
{
    public static readonly string[] Fields =
        ["id", "category", "severity", "difficulty", "environment", "service_name", "stack", "log_content", "root_cause", "source", "split", "notes"];

    public static readonly string[] Splits = ["dev", "test"];

    private static readonly HashSet<string> Severities = new(["LOW", "MEDIUM", "HIGH", "CRITICAL"], StringComparer.Ordinal);
    private static readonly HashSet<string> Difficulties = new(["easy", "hard"], StringComparer.Ordinal);
    private static readonly HashSet<string> Environments = new(["production", "staging", "dev", "test", "ci"], StringComparer.Ordinal);

    /// <summary>
    /// The split rule, frozen before any tuning: "test" when the first hex digit of
    /// sha256(source + "\n" + the first 200 Unicode code points of log_content) is 0–4, else "dev".
    /// Code points, not UTF-16 units, so the rule reads the same in any language.
    /// </summary>
    public static string SplitOf(string source, string logContent)
    {
        var prefix = new StringBuilder();
        var count = 0;
        foreach (var rune in logContent.EnumerateRunes())
        {
            if (count++ == 200)
            {
                break;
            }

            prefix.Append(rune.ToString());
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + prefix));
        return (hash[0] >> 4) <= 4 ? "test" : "dev";
    }

    /// <summary>The category ids of a taxonomy markdown table (rows that start with | `id` |).</summary>
    public static IReadOnlyList<string> CategoriesFromTaxonomy(string markdown) =>
        TaxonomyRow().Matches(markdown).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Every rule a file set breaks, one line each; empty when the corpus is valid.</summary>
    /// <param name="files">Split name ("dev"/"test") to the file's raw bytes.</param>
    /// <param name="categories">The taxonomy's category ids.</param>
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, byte[]> files, IReadOnlyCollection<string> categories)
    {
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var known = new HashSet<string>(categories, StringComparer.Ordinal);
        foreach (var (split, bytes) in files)
        {
            if (bytes.AsSpan().StartsWith("\uFEFF"u8))
            {
                problems.Add($"{split}: starts with a byte-order mark");
            }

            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                problems.Add($"{split}: not valid UTF-8");
                continue;
            }

            if (text.Contains('\r'))
            {
                problems.Add($"{split}: has CR line endings");
            }

            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length == 0 && i == lines.Length - 1)
                {
                    continue; // the final newline
                }

                problems.AddRange(ValidateRow(lines[i], $"{split}:{i + 1}", split, known, ids, keys));
            }
        }

        return problems;
    }

    private static List<string> ValidateRow(string line, string where, string split, HashSet<string> known, HashSet<string> ids, HashSet<string> keys)
    {
        Dictionary<string, string> row;
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [$"{where}: not a JSON object"];
            }

            row = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                {
                    return [$"{where}: field {p.Name} is not a string"];
                }

                row[p.Name] = p.Value.GetString()!;
            }
        }
        catch (JsonException e)
        {
            return [$"{where}: not JSON ({e.Message})"];
        }

        var problems = new List<string>();
        foreach (var missing in Fields.Where(f => !row.ContainsKey(f)))
        {
            problems.Add($"{where}: missing field {missing}");
        }

        foreach (var extra in row.Keys.Where(k => !Fields.Contains(k)))
        {
            problems.Add($"{where}: unknown field {extra}");
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var id = row["id"];
        if (!IdShape().IsMatch(id))
        {
            problems.Add($"{where}: id '{id}' is not X followed by four digits");
        }

        if (!ids.Add(id))
        {
            problems.Add($"{where}: id {id} used twice");
        }

        Check(known.Contains(row["category"]), $"category '{row["category"]}' is not a taxonomy id");
        Check(Severities.Contains(row["severity"]), $"severity '{row["severity"]}' is not LOW/MEDIUM/HIGH/CRITICAL");
        Check(Difficulties.Contains(row["difficulty"]), $"difficulty '{row["difficulty"]}' is not easy/hard");
        Check(Environments.Contains(row["environment"]), $"environment '{row["environment"]}' is not production/staging/dev/test/ci");
        Check(row["source"].StartsWith("https://", StringComparison.Ordinal), "source is not an https URL");
        Check(row["log_content"].Trim().Length > 0, "log_content is empty");
        Check(row["service_name"].Trim().Length > 0 && row["stack"].Trim().Length > 0, "service_name or stack is empty");
        Check(row["split"] == split, $"split '{row["split"]}' but the row is in {split}.jsonl");
        var rule = SplitOf(row["source"], row["log_content"]);
        Check(rule == split, $"the split rule puts this row in {rule}, not {split}");
        Check(keys.Add(row["source"] + "\n" + row["log_content"]), "same source and log_content as an earlier row");
        return problems;

        void Check(bool ok, string message)
        {
            if (!ok)
            {
                problems.Add($"{where} ({id}): {message}");
            }
        }
    }

    [GeneratedRegex(@"^\| `([a-z0-9_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TaxonomyRow();

    [GeneratedRegex(@"^X[0-9]{4}$")]
    private static partial Regex IdShape();
}
