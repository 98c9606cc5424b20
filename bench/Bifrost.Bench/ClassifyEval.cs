using System.Globalization;
using System.Text;
using System.Text.Json;
using Bifrost.Analysis;

namespace Bifrost.Bench;

/// <summary>
/// classify-eval: runs the built-in engine over a labelled JSONL set (default ../shared/eval/real-errors-dev.jsonl)
/// and prints category accuracy, severity accuracy, a per-difficulty breakdown and a calibration table
/// (confidence bins vs. accuracy) as Markdown. `--misses` also lists every wrong row (for finding gaps, not tuning rows).
/// Also: the share of answers that are wrong with confidence ≥ 0.8, the expected calibration error (ECE, ten equal-width
/// bins) with its reliability table, and severity by label. `--dump=FILE` writes every row's answer as JSONL (`--lang=ko` writes the explanations in Korean)
/// (id, label, report) to compare two builds side by side.
/// </summary>
internal static class ClassifyEval
{
    private static readonly string[] SeveritiesHighFirst = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(string[] args)
    {
        var path = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? SharedData.Of("eval", "real-errors-dev.jsonl");
        var showMisses = args.Contains("--misses");
        var language = args.FirstOrDefault(a => a.StartsWith("--lang=", StringComparison.Ordinal))?["--lang=".Length..] ?? "en";
        var dumpPath = args.FirstOrDefault(a => a.StartsWith("--dump=", StringComparison.Ordinal))?["--dump=".Length..];
        using var dump = dumpPath is null ? null : new StreamWriter(dumpPath);
        var analyzer = new LogAnalyzer();
        var rows = new List<(string Id, string Difficulty, bool Cat, bool Sev, double Conf, string Want, string Got, string WantSev, string GotSev)>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string S(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
            var report = analyzer.Analyze(new AnalysisInput(S("log_content"), S("service_name"), S("environment"), language));
            if (args.Contains("--id=" + S("id")))
            {
                foreach (var ev in Bifrost.Analysis.Normalization.Normalizer.Normalize(S("log_content")).Events)
                {
                    Console.WriteLine($"-- event line {ev.FirstLine} level {ev.Level} innermost {ev.InnermostIndex} depth [{string.Join(',', ev.CauseDepth)}]");
                    foreach (var m in ev.Messages)
                    {
                        Console.WriteLine("   | " + m);
                    }
                }

                Console.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            }
            if (dump is not null)
            {
                var verdict = Bifrost.Analysis.Signatures.Classifier.Classify(Bifrost.Analysis.Normalization.Normalizer.Normalize(S("log_content")), S("environment"));
                dump.WriteLine(JsonSerializer.Serialize(new { id = S("id"), category = S("category"), severity = S("severity"), environment = S("environment"), difficulty = S("difficulty"), score = verdict.Score, margin = verdict.Margin, runnerUp = verdict.RunnerUp, impact = verdict.Impact, report }));
            }

            rows.Add((S("id"), S("difficulty"), report.Category == S("category"), report.Severity.ToString() == S("severity"), report.Confidence,
                S("category"), report.Category, S("severity"), report.Severity.ToString()));
        }

        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"rows: {rows.Count}  file: {path}");
        sb.AppendLine();
        sb.AppendLine("| slice | rows | category accuracy | severity accuracy |");
        sb.AppendLine("|---|---|---|---|");
        void Slice(string name, IEnumerable<(string Id, string Difficulty, bool Cat, bool Sev, double Conf, string Want, string Got, string WantSev, string GotSev)> set)
        {
            var list = set.ToList();
            if (list.Count == 0)
            {
                return;
            }

            sb.AppendLine(inv, $"| {name} | {list.Count} | {100.0 * list.Count(x => x.Cat) / list.Count:F1}% | {100.0 * list.Count(x => x.Sev) / list.Count:F1}% |");
        }

        Slice("all", rows);
        foreach (var d in rows.Select(r => r.Difficulty).Distinct().Order())
        {
            Slice(d, rows.Where(r => r.Difficulty == d));
        }

        sb.AppendLine();
        sb.AppendLine("| confidence bin | rows | mean confidence | category accuracy |");
        sb.AppendLine("|---|---|---|---|");
        double[] edges = [0.0, 0.5, 0.7, 0.8, 0.9, 1.01];
        for (var i = 0; i + 1 < edges.Length; i++)
        {
            var bin = rows.Where(r => r.Conf >= edges[i] && r.Conf < edges[i + 1]).ToList();
            if (bin.Count == 0)
            {
                sb.AppendLine(inv, $"| [{edges[i]:F1}, {Math.Min(1, edges[i + 1]):F1}) | 0 | – | – |");
                continue;
            }

            sb.AppendLine(inv, $"| [{edges[i]:F1}, {Math.Min(1, edges[i + 1]):F1}) | {bin.Count} | {bin.Average(b => b.Conf):F2} | {100.0 * bin.Count(b => b.Cat) / bin.Count:F1}% |");
        }

        var wrongConfident = rows.Count(r => !r.Cat && r.Conf >= 0.8);
        sb.AppendLine();
        sb.AppendLine(inv, $"Wrong with confidence ≥ 0.8: {wrongConfident} of {rows.Count} answers ({100.0 * wrongConfident / rows.Count:F1}%); of the {rows.Count(r => !r.Cat)} wrong answers, {wrongConfident} at ≥ 0.8.");
        sb.AppendLine();
        sb.AppendLine("Reliability (ten equal-width bins; ECE = Σ bin share × |accuracy − mean confidence|):");
        sb.AppendLine();
        sb.AppendLine("| bin | rows | mean confidence | accuracy | gap |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        var ece = 0.0;
        for (var b = 0; b < 10; b++)
        {
            var lo = b / 10.0;
            var bin = rows.Where(r => r.Conf >= lo && (r.Conf < lo + 0.1 || (b == 9 && r.Conf <= 1.0))).ToList();
            if (bin.Count == 0)
            {
                continue;
            }

            var acc = (double)bin.Count(x => x.Cat) / bin.Count;
            var conf = bin.Average(x => x.Conf);
            ece += (double)bin.Count / rows.Count * Math.Abs(acc - conf);
            sb.AppendLine(inv, $"| [{lo:F1}, {lo + 0.1:F1}) | {bin.Count} | {conf:F2} | {100 * acc:F1}% | {acc - conf:+0.00;-0.00;0.00} |");
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"ECE: {ece:F3}");
        sb.AppendLine();
        sb.AppendLine("| severity label | rows | exact | answered (CRITICAL/HIGH/MEDIUM/LOW) |");
        sb.AppendLine("|---|---:|---:|---|");
        foreach (var want in new[] { "CRITICAL", "HIGH", "MEDIUM", "LOW" })
        {
            var set = rows.Where(r => r.WantSev == want).ToList();
            if (set.Count == 0)
            {
                continue;
            }

            var answered = string.Join(" / ", SeveritiesHighFirst.Select(g => set.Count(r => r.GotSev == g)));
            sb.AppendLine(inv, $"| {want} | {set.Count} | {100.0 * set.Count(r => r.Sev) / set.Count:F1}% | {answered} |");
        }

        var brier = rows.Average(r => Math.Pow(r.Conf - (r.Cat ? 1 : 0), 2));
        sb.AppendLine();
        sb.AppendLine(inv, $"Brier score (confidence vs. category correct): {brier:F3}; mean confidence {rows.Average(r => r.Conf):F2} vs. accuracy {(double)rows.Count(r => r.Cat) / rows.Count:F2}");
        if (showMisses)
        {
            sb.AppendLine();
            foreach (var r in rows.Where(r => !r.Cat || !r.Sev))
            {
                sb.AppendLine(inv, $"{r.Id} {r.Difficulty}: want {r.Want}/{r.WantSev} got {r.Got}/{r.GotSev} conf {r.Conf:F2}");
            }
        }

        Console.Out.Write(sb.ToString());
        return 0;
    }
}
