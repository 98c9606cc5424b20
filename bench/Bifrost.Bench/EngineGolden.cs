using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bifrost.Analysis;

namespace Bifrost.Bench;

/// <summary>
/// engine-golden: runs the built-in engine over a fixed, deterministic corpus (every real-errors excerpt, plus
/// CRLF and joined variants; Loghub-2k lines one by one and in 25-line windows; whole-file incidents) with several
/// service/environment/language combinations, and writes every report field as one JSON line per report.
/// Used to prove a performance change leaves the output byte-identical:
/// <c>engine-golden --out before.jsonl</c> on the old code, then <c>engine-golden --out after.jsonl --compare before.jsonl</c>.
/// Reads the shared eval folder; never copies it into the repo.
/// </summary>
internal static class EngineGolden
{
    private static string EvalRoot => SharedData.Of("eval");

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(string[] args)
    {
        var output = Arg(args, "--out") ?? "engine-golden.jsonl";
        var compare = Arg(args, "--compare");
        var engine = new LogAnalyzer();
        var lines = new List<string>();

        void Emit(string key, AnalysisReport r) => lines.Add(JsonSerializer.Serialize(new
        {
            key,
            r.Summary,
            r.RootCause,
            r.Recommendation,
            Severity = r.Severity.ToString(),
            Confidence = r.Confidence.ToString("R", CultureInfo.InvariantCulture),
            r.Category,
            r.Fingerprint,
            Evidence = r.Evidence.Select(e => new { e.LineNumber, e.Text }),
            r.Model,
        }, Json));

        void Analyze(string key, string text, (string? Service, string? Env, string Lang)[] combos)
        {
            foreach (var (service, env, lang) in combos)
            {
                Emit($"{key}|{service}|{env}|{lang}", engine.Analyze(new AnalysisInput(text, service, env, lang)));
            }
        }

        void Incidents(string key, string text, string? service, string? env, string lang)
        {
            var found = engine.AnalyzeIncidents(text, service, env, lang);
            for (var i = 0; i < found.Count; i++)
            {
                var inc = found[i];
                Emit($"{key}|incident {i}|{inc.Count}|{inc.FirstSeen}|{inc.LastSeen}|{inc.FirstLine}|{inc.LastLine}|{inc.Excerpt}", inc.Report);
            }
        }

        // real excerpts: the record's own context plus combinations that change severity, wording and language
        var excerpts = new List<(string Id, string Text, string? Service, string? Env)>();
        foreach (var row in File.ReadLines(Path.Combine(EvalRoot, "real-errors-dev.jsonl")).Where(l => l.Length > 0))
        {
            var root = JsonDocument.Parse(row).RootElement;
            excerpts.Add((root.GetProperty("id").GetString()!, root.GetProperty("log_content").GetString()!,
                Optional(root, "service_name"), Optional(root, "environment")));
        }

        foreach (var extra in Directory.GetFiles(EvalRoot, "real-errors*.jsonl").Where(p => !p.EndsWith("-dev.jsonl", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            foreach (var row in File.ReadLines(extra).Where(l => l.Length > 0))
            {
                var root = JsonDocument.Parse(row).RootElement;
                excerpts.Add((Path.GetFileName(extra) + ":" + root.GetProperty("id").GetString(), root.GetProperty("log_content").GetString()!,
                    Optional(root, "service_name"), Optional(root, "environment")));
            }
        }

        for (var i = 0; i < excerpts.Count; i++)
        {
            var (id, text, service, env) = excerpts[i];
            (string?, string?, string)[] combos = [(service, env, "en"), (null, null, "ko"), ("svc", "dev", "en"), ("  결제 api ", "staging", "KO "), ("checkout", "production", "ko")];
            Analyze(id, text, combos);
            Analyze(id + " crlf", text.Replace("\n", "\r\n", StringComparison.Ordinal), combos[..2]);
            Analyze(id + " joined", text + "\n" + excerpts[(i + 1) % excerpts.Count].Text, combos[..2]);
            Incidents(id, text, service, env, "en");
        }

        Incidents("real-errors all", string.Join('\n', excerpts.Select(e => e.Text)), "svc", "production", "ko");

        // Loghub: plain system logs (mostly informational), one line at a time and in windows
        foreach (var system in LoghubCorpus.Systems)
        {
            var raw = File.ReadAllLines(Path.Combine(EvalRoot, "loghub-2k", system, $"{system}_2k.log"));
            (string?, string?, string)[] combos = [("svc", "production", "en"), (null, null, "ko")];
            for (var i = 0; i < Math.Min(300, raw.Length); i++)
            {
                Analyze($"{system}:{i}", raw[i], combos);
            }

            for (var start = 0; start + 25 <= raw.Length; start += 25)
            {
                Analyze($"{system}:{start}+25", string.Join('\n', raw[start..(start + 25)]), combos[..1]);
            }

            Incidents(system, string.Join('\n', raw), "svc", "production", "en");
        }

        File.WriteAllLines(output, lines);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine-golden: {lines.Count} reports written to {output}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine-golden: {AllocatedPerAnalysis(engine, excerpts.Select(e => e.Text)):F0} bytes allocated per analysis (analyze-latency's excerpts: < 4 KB, svc/production/en)"));
        if (compare is null)
        {
            return 0;
        }

        var expected = File.ReadAllLines(compare);
        var differences = 0;
        for (var i = 0; i < Math.Max(expected.Length, lines.Count); i++)
        {
            var want = i < expected.Length ? expected[i] : "<missing>";
            var got = i < lines.Count ? lines[i] : "<missing>";
            if (!string.Equals(want, got, StringComparison.Ordinal))
            {
                if (++differences <= 5)
                {
                    Console.WriteLine($"DIFF at report {i + 1}:\n  expected {want}\n  actual   {got}");
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine-golden: compared {Math.Max(expected.Length, lines.Count)} reports against {compare}: {differences} differences"));
        return differences == 0 ? 0 : 1;
    }

    /// <summary>Managed bytes one Analyze call allocates on average, over the same excerpts analyze-latency times.</summary>
    private static double AllocatedPerAnalysis(LogAnalyzer engine, IEnumerable<string> texts)
    {
        var small = texts.Where(t => t.Length < 4096).ToList();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < 20; r++)
        {
            foreach (var text in small)
            {
                engine.Analyze(new AnalysisInput(text, "svc", "production"));
            }
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (20.0 * small.Count);
    }

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Arg(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
