using System.Text;
using Bifrost.Llm;

namespace Bifrost.Bench;

/// <summary>
/// excerpts-check: validates eval/excerpts/{dev,test}.jsonl (schema, unique ids, taxonomy ids, the frozen split rule;
/// see ExcerptCorpusCheck) and prints the corpus counts as Markdown. Categories come from ../shared/taxonomy.md when
/// present, else from the ids the service publishes (TaxonomyCategories). Exit code 1 when a rule is broken.
/// Usage: excerpts-check [directory] [--taxonomy=path]
/// Counts are over both splits together: the test split is not described on its own beyond its size.
/// </summary>
internal static class ExcerptsCheck
{
    public static int Run(string[] args)
    {
        var directory = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? Path.Combine("eval", "excerpts");
        var taxonomyPath = args.FirstOrDefault(a => a.StartsWith("--taxonomy=", StringComparison.Ordinal))?["--taxonomy=".Length..]
            ?? Path.Combine("..", "shared", "taxonomy.md");
        var categories = File.Exists(taxonomyPath)
            ? ExcerptCorpusCheck.CategoriesFromTaxonomy(File.ReadAllText(taxonomyPath))
            : TaxonomyCategories.All;

        var files = ExcerptCorpusCheck.Splits.ToDictionary(s => s, s => File.ReadAllBytes(Path.Combine(directory, s + ".jsonl")));
        var problems = ExcerptCorpusCheck.Validate(files, categories);
        foreach (var p in problems)
        {
            Console.Error.WriteLine(p);
        }

        var rows = files.SelectMany(f => Encoding.UTF8.GetString(f.Value).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => (Split: f.Key, Row: System.Text.Json.JsonDocument.Parse(l).RootElement.Clone()))).ToList();
        string S(System.Text.Json.JsonElement r, string name) => r.GetProperty(name).GetString() ?? string.Empty;

        var sb = new StringBuilder();
        sb.AppendLine($"rows: {rows.Count} (dev {rows.Count(r => r.Split == "dev")}, test {rows.Count(r => r.Split == "test")}); categories from {(File.Exists(taxonomyPath) ? taxonomyPath : "TaxonomyCategories")}; problems: {problems.Count}");
        foreach (var field in new[] { "category", "stack", "severity", "difficulty", "environment" })
        {
            sb.AppendLine();
            sb.AppendLine($"| {field} | rows |");
            sb.AppendLine("|---|---:|");
            var counts = rows.GroupBy(r => S(r.Row, field)).ToDictionary(g => g.Key, g => g.Count());
            var keys = field == "category" ? categories.Concat(counts.Keys.Except(categories)) : counts.Keys.OrderByDescending(k => counts[k]).ThenBy(k => k, StringComparer.Ordinal);
            foreach (var key in keys)
            {
                sb.AppendLine($"| {key} | {counts.GetValueOrDefault(key)} |");
            }
        }

        Console.Out.Write(sb.ToString());
        return problems.Count == 0 ? 0 : 1;
    }
}
