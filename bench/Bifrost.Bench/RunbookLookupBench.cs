using System.Diagnostics;
using System.Globalization;
using Bifrost.Analysis;
using Bifrost.Knowledge;
using Bifrost.Runbooks;
using Bifrost.Storage;

namespace Bifrost.Bench;

/// <summary>
/// runbook-lookup: what citing runbooks adds to one analysis with N sections stored (default 5,000; SQLite by default,
/// `--database-url postgresql://…` for PostgreSQL). The sections are the 43 of eval/runbooks/team, each rewritten for
/// ~116 fictional teams (own source path, team and service names in title and text), so the index holds 5,000
/// distinct documents with the vocabulary real runbooks share. Per call, single thread, after warm-up:
/// 1. baseline: the built-in analysis of the excerpt alone (the eval excerpts, each made unique by a request number);
/// 2. lookup, cold: RunbookLookup for that analysis with a key never seen (unique service) — one store full-text
///    query plus scoring, what an analysis of a failure seen for the first time pays;
/// 3. lookup, cached: the same failure again (what every later analysis of it pays);
/// 4. lookup, batched: 64 cold lookups in one call (how the Kafka pipeline asks, per store batch), per analysis;
/// 5. the first lookup after the runbooks changed: its candidate sections are fetched and read again (the lookup
///    keeps sections in memory per runbook version; rows 2–4 run with every category seen once).
/// Also a bare store round trip. p50/p99/max in milliseconds. The added cost is rows 2–5; row 1 is the scale.
/// </summary>
internal static class RunbookLookupBench
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var root = RunbookEval.RepoRoot();
        var sections = int.Parse(RunbookEval.Value(args, "--sections") ?? "5000", CultureInfo.InvariantCulture);
        var calls = int.Parse(RunbookEval.Value(args, "--calls") ?? "3000", CultureInfo.InvariantCulture);
        var sqliteFile = Path.Combine(Path.GetTempPath(), $"bifrost-runbook-bench-{Guid.NewGuid():N}.db");
        var url = RunbookEval.Value(args, "--database-url") ?? "sqlite:" + sqliteFile;
        var engine = new LogAnalyzer();
        var store = DatabaseUrl.CreateStore(url);
        await store.MigrateAsync(default);
        await using var db = KnowledgeDatabase.FromUrl(url);
        IRunbookStore runbooks = db.IsPostgres ? new PostgresRunbookStore(db) : new SqliteRunbookStore(db);
        try
        {
            var stored = await LoadAsync(runbooks, engine, Path.Combine(root, "eval/runbooks/team"), sections);
            var excerpts = RunbookEval.ReadExcerpts(Path.Combine(root, "eval/runbooks/excerpts.jsonl"));
            var lookup = new RunbookLookup(runbooks, Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions()));
            await lookup.ReloadAsync(default);

            var reports = new List<(AnalysisReport Report, string Service)>();
            var analyze = new List<double>(calls);
            for (var i = 0; i < calls + 200; i++)
            {
                var e = excerpts[i % excerpts.Count];
                var started = Stopwatch.GetTimestamp();
                var report = engine.Analyze(new AnalysisInput($"{e.Log}\nrequest {i}", e.Service, e.Environment));
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i >= 200) analyze.Add(ms);
                reports.Add((report, e.Service));
            }

            RunbookLookupRequest Request(int i, string service) => new(reports[i].Report.Category, reports[i].Report.Fingerprint, service, [.. reports[i].Report.Evidence.Select(v => v.Text)]);
            // Every category's sections seen once (as a service running for a while has): the rows below measure the
            // store search and scoring; fetching and reading sections not seen since the last runbook change is its own row.
            await lookup.FindManyAsync([.. Enumerable.Range(0, excerpts.Count).Select(i => Request(i, $"warm-{i}"))], default);
            var cold = new List<double>(calls);
            var cited = 0;
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            for (var i = 0; i < calls + 200; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var found = await lookup.FindManyAsync([Request(i, $"svc-{i}")], default);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i >= 200)
                {
                    cold.Add(ms);
                    cited += found.Citations[0].Count > 0 ? 1 : 0;
                }
            }

            var gcDuringCold = $"gen0 {GC.CollectionCount(0) - gcBefore.Item1}, gen1 {GC.CollectionCount(1) - gcBefore.Item2}, gen2 {GC.CollectionCount(2) - gcBefore.Item3}, pause {(GC.GetTotalPauseDuration() - gcBefore.Item4).TotalMilliseconds:0} ms";
            var cached = new List<double>(calls);
            for (var i = 0; i < calls + 200; i++)
            {
                var request = Request(i % 50, "svc-" + (i % 50));
                var started = Stopwatch.GetTimestamp();
                await lookup.FindManyAsync([request], default);
                if (i >= 200) cached.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            const int batch = 64;
            var batched = new List<double>();
            for (var b = 0; b < (calls / batch) + 4; b++)
            {
                var requests = Enumerable.Range(0, batch).Select(k => Request((b * batch + k) % reports.Count, $"batch-{b}-{k}")).ToList();
                var started = Stopwatch.GetTimestamp();
                await lookup.FindManyAsync(requests, default);
                if (b >= 4) batched.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds / batch);
            }

            var roundTrip = new List<double>(calls);
            for (var i = 0; i < calls + 200; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await runbooks.SearchManyAsync([new RunbookSearch(null, [], Fingerprint: "ffffffffffffff" + (i % 100).ToString("00", CultureInfo.InvariantCulture))], default);
                if (i >= 200) roundTrip.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var afterChange = new List<double>();
            for (var i = 0; i < 40; i++)
            {
                await lookup.ReloadAsync(default);
                var started = Stopwatch.GetTimestamp();
                await lookup.FindManyAsync([Request(i * 7 % reports.Count, $"reload-{i}")], default);
                afterChange.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"store: {db.Provider}; {stored} sections stored; {calls} calls per row after 200 warm-up; load average {Options.LoadAverage()}; {Environment.ProcessorCount} cores"));
            Console.WriteLine(string.Create(inv, $"cold lookups that attached a section: {cited}/{calls}; GC during them (workstation GC): {gcDuringCold}"));
            Console.WriteLine();
            Console.WriteLine("| per analysis | p50 | p99 | max |");
            Console.WriteLine("|---|---:|---:|---:|");
            Row("baseline: built-in analysis alone", analyze);
            Row("baseline: one store round trip (a search for a word no section has)", roundTrip);
            Row("runbook lookup, failure seen for the first time (store query + scoring)", cold);
            Row("runbook lookup, failure seen before (cached)", cached);
            Row($"runbook lookup, {batch} first-time failures in one call (per analysis)", batched);
            Row("first lookup after runbooks changed (its candidate sections fetched and read again; 40 calls)", afterChange);
            return 0;
        }
        finally
        {
            if (store is IAsyncDisposable d) await d.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(sqliteFile + suffix);
        }
    }

    private static void Row(string name, List<double> ms)
    {
        ms.Sort();
        double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {P(0.5):0.000} ms | {P(0.99):0.000} ms | {ms[^1]:0.000} ms |"));
    }

    /// <summary>The team sections rewritten per fictional team until <paramref name="target"/> are stored; categories read once per original.</summary>
    private static async Task<int> LoadAsync(IRunbookStore store, LogAnalyzer engine, string folder, int target)
    {
        var originals = Directory.GetFiles(folder, "*.md").Order(StringComparer.Ordinal)
            .SelectMany(f => RunbookImporter.Parse(Path.GetFileName(f), File.ReadAllText(f), engine).Select(s => (File: Path.GetFileName(f), Section: s)))
            .ToList();
        string[] teams = ["payments", "search", "checkout", "identity", "ledger", "catalog", "media", "growth", "ads", "risk", "maps", "mail", "chat"];
        var stored = 0;
        for (var team = 0; stored < target; team++)
        {
            var name = $"{teams[team % teams.Length]}-{team / teams.Length}";
            foreach (var group in originals.GroupBy(o => o.File))
            {
                var drafts = group.Select(o => o.Section with
                {
                    Title = $"{o.Section.Title} ({name})",
                    Body = $"Team {name}, service {name}-api, on-call rotation {name}-primary.\n{o.Section.Body.Replace("orders", name + "-orders", StringComparison.Ordinal)}",
                }).Take(target - stored).ToList();
                if (drafts.Count == 0) break;
                await store.ReplaceSourceAsync($"{name}/{group.Key}", drafts, "bench", DateTimeOffset.UtcNow, default);
                stored += drafts.Count;
            }
        }

        return stored;
    }
}
