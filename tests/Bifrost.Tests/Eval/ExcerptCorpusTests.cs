using System.Text;
using System.Text.Json;
using Bifrost.Bench;
using Bifrost.Llm;

namespace Bifrost.Tests.Eval;

/// <summary>
/// The repository's labelled excerpt corpus (eval/excerpts) keeps its schema, its taxonomy ids and its frozen split;
/// the check itself is shown to reject each kind of broken row.
/// </summary>
public class ExcerptCorpusTests
{
    private static readonly string Directory = RepoPaths.Of("eval", "excerpts");

    private static IReadOnlyList<string> Categories()
    {
        var shared = RepoPaths.Of("..", "shared", "taxonomy.md");
        return File.Exists(shared) ? ExcerptCorpusCheck.CategoriesFromTaxonomy(File.ReadAllText(shared)) : TaxonomyCategories.All;
    }

    [Fact]
    public void RepositoryCorpus_KeepsSchemaTaxonomyAndSplitRule()
    {
        var files = ExcerptCorpusCheck.Splits.Where(s => File.Exists(Path.Combine(Directory, s + ".jsonl")))
            .ToDictionary(s => s, s => File.ReadAllBytes(Path.Combine(Directory, s + ".jsonl")));
        if (files.Count == 0)
        {
            return; // a checkout without the corpus has nothing to check
        }

        Assert.Equal(ExcerptCorpusCheck.Splits.Length, files.Count);
        var problems = ExcerptCorpusCheck.Validate(files, Categories());
        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(20)));
        Assert.All(files.Values, bytes => Assert.Contains((byte)'\n', bytes));
    }

    [Fact]
    public void TaxonomyCategories_AreTheSharedTaxonomyIds_WhenSharedIsPresent()
    {
        var shared = RepoPaths.Of("..", "shared", "taxonomy.md");
        if (!File.Exists(shared))
        {
            return;
        }

        Assert.Equal(ExcerptCorpusCheck.CategoriesFromTaxonomy(File.ReadAllText(shared)).Order(), TaxonomyCategories.All.Order());
    }

    [Fact]
    public void Check_AcceptsAValidRow_AndRejectsEachKindOfBrokenRow()
    {
        var row = Row("X0001", "network.dns", "https://github.com/example/repo/issues/1", "dial tcp: lookup db on 10.0.0.2:53: no such host");
        var home = row["split"];
        var away = home == "dev" ? "test" : "dev";
        Assert.Empty(Check((home, [row]), (away, [])));

        Assert.Contains(Check((away, [row]), (home, [])), p => p.Contains("split rule", StringComparison.Ordinal));
        Assert.Contains(Check((home, [row, With(row, "log_content", row["log_content"] + " again")]), (away, [])), p => p.Contains("used twice", StringComparison.Ordinal));
        Assert.Contains(Check((home, [With(row, "category", "network.dns_failure")]), (away, [])), p => p.Contains("not a taxonomy id", StringComparison.Ordinal));
        Assert.Contains(Check((home, [With(row, "severity", "SEVERE")]), (away, [])), p => p.Contains("severity", StringComparison.Ordinal));
        Assert.Contains(Check((home, [Without(row, "root_cause")]), (away, [])), p => p.Contains("missing field root_cause", StringComparison.Ordinal));
        Assert.Contains(Check((home, [With(row, "label", "x")]), (away, [])), p => p.Contains("unknown field label", StringComparison.Ordinal));
    }

    [Fact]
    public void SplitRule_CountsCodePoints_NotUtf16Units()
    {
        // 200 astral characters are 400 UTF-16 units: the rule must hash all 200 of them and nothing after.
        var astral = string.Concat(Enumerable.Repeat("\U0001F600", 200));
        Assert.Equal(ExcerptCorpusCheck.SplitOf("s", astral), ExcerptCorpusCheck.SplitOf("s", astral + "tail"));
        var differs = Enumerable.Range(0, 64).Any(i =>
            ExcerptCorpusCheck.SplitOf("s" + i, astral[..200]) != ExcerptCorpusCheck.SplitOf("s" + i, astral));
        Assert.True(differs, "a 100-code-point prefix and the 200-code-point prefix should hash differently for some source");
    }

    private static Dictionary<string, string> Row(string id, string category, string source, string log)
    {
        var split = ExcerptCorpusCheck.SplitOf(source, log);
        return new Dictionary<string, string>
        {
            ["id"] = id, ["category"] = category, ["severity"] = "HIGH", ["difficulty"] = "easy", ["environment"] = "production",
            ["service_name"] = "api", ["stack"] = "go", ["log_content"] = log, ["root_cause"] = "", ["source"] = source,
            ["split"] = split, ["notes"] = "",
        };
    }

    private static Dictionary<string, string> With(Dictionary<string, string> row, string field, string value) =>
        new(row) { [field] = value };

    private static Dictionary<string, string> Without(Dictionary<string, string> row, string field)
    {
        var copy = new Dictionary<string, string>(row);
        copy.Remove(field);
        return copy;
    }

    private static IReadOnlyList<string> Check(params (string Split, Dictionary<string, string>[] Rows)[] files) =>
        ExcerptCorpusCheck.Validate(
            files.ToDictionary(f => f.Split, f => Encoding.UTF8.GetBytes(string.Concat(f.Rows.Select(r => JsonSerializer.Serialize(r) + "\n")))),
            TaxonomyCategories.All);
}
