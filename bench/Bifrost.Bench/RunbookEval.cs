using System.Globalization;
using System.Text;
using System.Text.Json;
using Bifrost.Analysis;
using Bifrost.Knowledge;
using Bifrost.Runbooks;
using Bifrost.Storage;
using Microsoft.Extensions.Options;

namespace Bifrost.Bench;

/// <summary>
/// runbook-eval: the runbook retrieval evaluation of docs/quality.md. Imports eval/runbooks/team/*.md into a real store
/// (SQLite by default, `--database-url postgresql://…` for PostgreSQL), analyses each excerpt of eval/runbooks/excerpts.jsonl
/// with the built-in engine and looks its runbook up exactly as the pipeline does (RunbookLookup: store full-text search,
/// then RunbookMatcher). The score threshold is chosen on the dev split and reported on the test split:
/// precision@1 (of the excerpts that got a citation, the share whose first citation is the expected section), recall@1
/// (of the excerpts that have a section, the share that got it first) and the share of excerpts without a section that
/// got nothing. Leave-one-family-out: each failure family's sections are removed in turn and its excerpts must then get
/// nothing. `--real PATH` also scores a labelled real-error set (../shared/eval/real-errors-dev.jsonl) by family.
/// `--threshold X` reports at X instead of the tuned value; `--list` prints every excerpt's top section.
/// </summary>
internal static class RunbookEval
{
    internal sealed record Excerpt(string Id, string Split, string Family, string Service, string Environment, string? Source, string? Title, string Log);

    private sealed record Outcome(Excerpt Excerpt, string Category, Citation? Top);

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var root = RepoRoot();
        var url = Value(args, "--database-url") ?? "sqlite:" + Path.Combine(Path.GetTempPath(), $"bifrost-runbook-eval-{Guid.NewGuid():N}.db");
        var fixedThreshold = Value(args, "--threshold") is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : (double?)null;
        var excerpts = ReadExcerpts(Path.Combine(root, "eval/runbooks/excerpts.jsonl"));
        var engine = new LogAnalyzer();
        var migrator = DatabaseUrl.CreateStore(url);
        await migrator.MigrateAsync(default);
        await using var database = KnowledgeDatabase.FromUrl(url);
        IRunbookStore store = database.IsPostgres ? new PostgresRunbookStore(database) : new SqliteRunbookStore(database);
        var importer = new RunbookImporter(store, engine);
        var teamDir = Path.Combine(root, "eval/runbooks/team");
        var files = Directory.GetFiles(teamDir, "*.md").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            await importer.ImportAsync(Path.GetFileName(file), await File.ReadAllTextAsync(file), "eval", DateTimeOffset.UtcNow, default);
        }

        var sections = await store.ListSectionsAsync(null, default);
        var lookup = new RunbookLookup(store, Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions { Runbooks = new RunbookOptions { MinScore = 0, MaxCitations = 1 } }));
        await lookup.ReloadAsync(default);
        var outcomes = await LookUpAsync(lookup, engine, excerpts);

        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"store: {database.Provider}; {sections.Count} sections in {files.Count} files; {excerpts.Count} excerpts ({excerpts.Count(e => e.Source is not null)} with a section, {excerpts.Count(e => e.Source is null)} without)");
        sb.AppendLine(inv, $"section categories read from quoted errors: {sections.Count(s => s.Category is not null)} of {sections.Count}; " +
            $"matching the family the excerpts expect: {SectionCategoryAgreement(sections, excerpts)}");
        // Leave-one-family-out: each family's sections removed in turn, its excerpts looked up again; they must then get nothing.
        var leftOut = await LeaveFamilyOutAsync(store, importer, lookup, engine, excerpts, files);
        var dev = outcomes.Where(o => o.Excerpt.Split == "dev").ToList();
        var test = outcomes.Where(o => o.Excerpt.Split == "test").ToList();
        var tuned = Tune(dev, [.. leftOut.Where(o => o.Excerpt.Split == "dev")]);
        var threshold = fixedThreshold ?? tuned;
        sb.AppendLine(inv, $"threshold: {threshold:0.00} ({(fixedThreshold is null ? "chosen on dev: best mean of recall@1 and nothing-attached (no-section and left-out-family excerpts)" : "given")})");
        sb.AppendLine();
        sb.AppendLine("| split | excerpts | precision@1 | recall@1 | nothing attached: no section exists | nothing attached: family's sections removed |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, set) in new[] { ("dev", dev), ("test", test), ("all", outcomes) })
        {
            var m = Measure(set, threshold);
            var lofo = leftOut.Where(o => name == "all" || o.Excerpt.Split == name).ToList();
            var lofoNone = lofo.Count(o => o.Top is null || o.Top.Score < threshold);
            sb.AppendLine(inv, $"| {name} | {set.Count} | {m.Precision:0.000} ({m.Correct}/{m.Attached}) | {m.Recall:0.000} ({m.Correct}/{m.Positives}) | {m.NoneRate:0.000} ({m.NoneKept}/{m.Negatives}) | {(double)lofoNone / lofo.Count:0.000} ({lofoNone}/{lofo.Count}) |");
        }

        // As served: a lookup configured with this threshold (it then skips candidates that cannot reach it) must attach the same.
        var serving = new RunbookLookup(store, Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions { Runbooks = new RunbookOptions { MinScore = threshold, MaxCitations = 1 } }));
        await serving.ReloadAsync(default);
        var served = await LookUpAsync(serving, engine, excerpts);
        var same = served.Zip(outcomes).Count(p => (p.First.Top?.Title, p.First.Top?.Source) == (p.Second.Top is { } t && t.Score >= threshold ? (t.Title, t.Source) : (null, null)));
        sb.AppendLine();
        sb.AppendLine(inv, $"served with knowledge.runbooks.min_score {threshold:0.00}: the same section (or none) attached for {same}/{excerpts.Count} excerpts");

        var wrong = leftOut.Where(o => o.Top is { } t && t.Score >= threshold).Select(o => $"{o.Excerpt.Id} {o.Excerpt.Split} ({o.Excerpt.Family}, engine {o.Category}) → {o.Top!.Title} {o.Top.Score:0.00}").ToList();
        if (wrong.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("left-out families that still got a section: " + string.Join("; ", wrong));
        }

        if (Value(args, "--real") is { } realPath && File.Exists(realPath))
        {
            sb.AppendLine();
            sb.AppendLine(await RealSetAsync(realPath, lookup, engine, excerpts, threshold));
        }

        if (args.Contains("--list"))
        {
            sb.AppendLine();
            foreach (var o in outcomes)
            {
                var ok = o.Excerpt.Source is null ? (o.Top is null || o.Top.Score < threshold ? "ok " : "BAD") : Hit(o) && o.Top!.Score >= threshold ? "ok " : "BAD";
                sb.AppendLine(inv, $"{ok} {o.Excerpt.Id} {o.Excerpt.Split} {o.Excerpt.Family,-28} engine={o.Category,-26} top={(o.Top is null ? "-" : $"{o.Top.Score:0.000} {o.Top.Source} › {o.Top.Title}")}");
            }
        }

        Console.Write(sb.ToString());
        if (migrator is IAsyncDisposable d) await d.DisposeAsync();
        if (url.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(url["sqlite:".Length..]) + "*")) File.Delete(f);
        }

        return 0;
    }

    private static async Task<List<Outcome>> LookUpAsync(RunbookLookup lookup, LogAnalyzer engine, IReadOnlyList<Excerpt> excerpts)
    {
        var reports = excerpts.Select(e => engine.Analyze(new AnalysisInput(e.Log, e.Service, e.Environment))).ToList();
        var found = await lookup.FindManyAsync([.. excerpts.Select((e, i) => new RunbookLookupRequest(reports[i].Category, reports[i].Fingerprint, e.Service, [.. reports[i].Evidence.Select(v => v.Text)]))], default);
        return [.. excerpts.Select((e, i) => new Outcome(e, reports[i].Category, found.Citations[i] is { Count: > 0 } cited ? cited[0] : null))];
    }

    private static bool Hit(Outcome o) => o.Top is { } top && top.Source == o.Excerpt.Source && top.Title == o.Excerpt.Title;

    private sealed record Measures(int Attached, int Correct, int Positives, int Negatives, int NoneKept)
    {
        public double Precision => Attached == 0 ? 0 : (double)Correct / Attached;

        public double Recall => Positives == 0 ? 0 : (double)Correct / Positives;

        public double NoneRate => Negatives == 0 ? 1 : (double)NoneKept / Negatives;
    }

    private static Measures Measure(IReadOnlyList<Outcome> set, double threshold)
    {
        var positives = set.Where(o => o.Excerpt.Source is not null).ToList();
        var negatives = set.Where(o => o.Excerpt.Source is null).ToList();
        var attached = set.Where(o => o.Top is { } t && t.Score >= threshold).ToList();
        return new Measures(attached.Count, attached.Count(Hit), positives.Count, negatives.Count, negatives.Count(o => o.Top is null || o.Top.Score < threshold));
    }

    /// <summary>
    /// The threshold (0.00–1.00) with the best mean of recall@1 and the nothing-attached share on dev, where the excerpts
    /// that must get nothing are the ones without a section and the left-out-family ones; ties go to the higher (more cautious) one.
    /// </summary>
    private static double Tune(IReadOnlyList<Outcome> dev, IReadOnlyList<Outcome> devLeftOut)
    {
        var best = (Score: -1.0, Threshold: 1.0);
        var mustBeEmpty = dev.Where(o => o.Excerpt.Source is null).Concat(devLeftOut).ToList();
        for (var i = 0; i <= 100; i++)
        {
            var t = i / 100.0;
            var m = Measure(dev, t);
            var none = (double)mustBeEmpty.Count(o => o.Top is null || o.Top.Score < t) / mustBeEmpty.Count;
            var score = (m.Recall + none) / 2;
            if (score >= best.Score)
            {
                best = (score, t);
            }
        }

        return best.Threshold;
    }

    private static async Task<List<Outcome>> LeaveFamilyOutAsync(IRunbookStore store, RunbookImporter importer, RunbookLookup lookup, LogAnalyzer engine, IReadOnlyList<Excerpt> excerpts, IReadOnlyList<string> files)
    {
        var outcomes = new List<Outcome>();
        foreach (var family in excerpts.Where(e => e.Source is not null).GroupBy(e => e.Family))
        {
            var removed = family.Select(e => (e.Source!, e.Title!)).ToHashSet();
            var touched = removed.Select(r => r.Item1).Distinct().ToList();
            foreach (var source in touched)
            {
                var markdown = await File.ReadAllTextAsync(files.Single(f => Path.GetFileName(f) == source));
                var kept = RunbookImporter.Parse(source, markdown, engine).Where(s => !removed.Contains((source, s.Title))).Select((s, i) => s with { Position = i }).ToList();
                await store.ReplaceSourceAsync(source, kept, "eval", DateTimeOffset.UtcNow, default);
            }

            await lookup.ReloadAsync(default);
            outcomes.AddRange(await LookUpAsync(lookup, engine, [.. family]));
            foreach (var source in touched)
            {
                await importer.ImportAsync(source, await File.ReadAllTextAsync(files.Single(f => Path.GetFileName(f) == source)), "eval", DateTimeOffset.UtcNow, default);
            }
        }

        await lookup.ReloadAsync(default);
        return outcomes;
    }

    /// <summary>A labelled real-error set: a row counts as right when its first citation is one of its category's sections (as the in-repo excerpts map families to sections).</summary>
    private static async Task<string> RealSetAsync(string path, RunbookLookup lookup, LogAnalyzer engine, IReadOnlyList<Excerpt> excerpts, double threshold)
    {
        var familySections = excerpts.Where(e => e.Source is not null).GroupBy(e => e.Family).ToDictionary(g => g.Key, g => g.Select(e => (e.Source!, e.Title!)).ToHashSet());
        var rows = File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string S(JsonElement r, string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var real = rows.Select(r => new Excerpt(S(r, "id"), "real", S(r, "category"), S(r, "service_name"), S(r, "environment"), null, null, S(r, "log_content"))).ToList();
        var outcomes = await LookUpAsync(lookup, engine, real);
        var withFamily = outcomes.Where(o => familySections.ContainsKey(o.Excerpt.Family)).ToList();
        var attached = withFamily.Where(o => o.Top is { } t && t.Score >= threshold).ToList();
        var correct = attached.Count(o => familySections[o.Excerpt.Family].Contains((o.Top!.Source, o.Top.Title)));
        // Why a row with a section got none of its family's: the engine read another category, or the words were too few.
        var missed = withFamily.Where(o => !(o.Top is { } t && t.Score >= threshold && familySections[o.Excerpt.Family].Contains((t.Source, t.Title)))).ToList();
        var otherCategory = missed.Count(o => o.Category != o.Excerpt.Family);
        // Rows no section answers (no failure, cause unknown, or a family the team wrote nothing for): nothing may be attached.
        var without = outcomes.Where(o => !familySections.ContainsKey(o.Excerpt.Family)).ToList();
        var empty = without.Count(o => o.Top is not { } t || t.Score < threshold);
        return string.Create(CultureInfo.InvariantCulture,
            $"real excerpts ({Path.GetFileName(path)}, {withFamily.Count} rows whose category has a section): precision@1 {(attached.Count == 0 ? 0 : (double)correct / attached.Count):0.000} ({correct}/{attached.Count}), recall@1 {(double)correct / Math.Max(1, withFamily.Count):0.000} ({correct}/{withFamily.Count}) ({otherCategory} of the {missed.Count} misses classified as another category by the engine); {without.Count} rows with no section: nothing attached {(double)empty / Math.Max(1, without.Count):0.000} ({empty}/{without.Count})");
    }

    private static string SectionCategoryAgreement(IReadOnlyList<RunbookSection> sections, IReadOnlyList<Excerpt> excerpts)
    {
        var expected = excerpts.Where(e => e.Source is not null).GroupBy(e => (e.Source, e.Title)).ToDictionary(g => g.Key, g => g.First().Family);
        var known = sections.Where(s => expected.ContainsKey((s.SourcePath, s.Title))).ToList();
        var agree = known.Count(s => s.Category == expected[(s.SourcePath, s.Title)]);
        var misses = known.Where(s => s.Category != expected[(s.SourcePath, s.Title)]).Select(s => $"{s.Title} → {s.Category ?? "none"}");
        return $"{agree}/{known.Count}" + (agree < known.Count ? $" (other: {string.Join("; ", misses)})" : "");
    }

    internal static List<Excerpt> ReadExcerpts(string path)
    {
        var list = new List<Excerpt>();
        foreach (var line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string? S(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            list.Add(new Excerpt(S("id")!, S("split")!, S("family")!, S("service_name") ?? "", S("environment") ?? "", S("expected_source"), S("expected_title"), S("log_content")!));
        }

        return list;
    }

    internal static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bifrost.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
