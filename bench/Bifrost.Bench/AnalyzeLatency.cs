using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bifrost.Analysis;

namespace Bifrost.Bench;

/// <summary>
/// analyze-latency: wall time of one full built-in analysis (normalise → redact → fingerprint → classify → explain)
/// per excerpt under 4 KB, single thread, after warm-up; p50/p99/max over all calls. Baseline in the same run:
/// a naive classifier that tries one case-insensitive regex per category in order (what a first version would do),
/// which only classifies — no normalisation, explanation or redaction.
/// </summary>
internal static class AnalyzeLatency
{
    private static readonly (string Category, Regex Regex)[] Naive =
    [
        ("database.pool_exhausted", R("connection is not available|too many clients|remaining connection slots|pool.*exhausted|queuepool limit")),
        ("database.deadlock", R("deadlock|lock wait timeout|could not serialize")),
        ("database.constraint", R("violates .* constraint|duplicate key|duplicate entry|integrityerror")),
        ("database.query", R("syntax error|does not exist|unknown column|no such table")),
        ("database.auth", R("password authentication failed|access denied for user|login failed for user")),
        ("database.connection", R("could not connect to server|communications link failure|server closed the connection")),
        ("network.dns", R("unknownhost|enotfound|name or service not known|no such host|name resolution")),
        ("network.tls", R("ssl|tls|certificate|pkix|x509")),
        ("network.connection_refused", R("connection refused|econnrefused")),
        ("network.timeout", R("timed out|timeout|deadline exceeded")),
        ("http.rate_limited", R("429|rate limit|too many requests|throttl")),
        ("http.upstream_error", R("50[0234]|bad gateway|service unavailable")),
        ("auth.credentials", R("401|unauthorized|invalid token|expired")),
        ("auth.permission", R("403|forbidden|access ?denied")),
        ("gpu.out_of_memory", R("cuda out of memory|cublas_status_alloc_failed")),
        ("gpu.runtime", R("nccl|cuda")),
        ("resource.memory", R("outofmemory|out of memory|oomkilled|memoryerror")),
        ("resource.disk", R("no space left|disk quota|enospc")),
        ("resource.file_descriptors", R("too many open files|emfile")),
        ("k8s.crash_loop", R("crashloopbackoff|back-off restarting")),
        ("k8s.image_pull", R("imagepullbackoff|errimagepull")),
        ("k8s.probe_failed", R("probe failed")),
        ("k8s.scheduling", R("failedscheduling|nodes are available")),
        ("k8s.evicted", R("evicted")),
        ("code.null_reference", R("nullpointer|nullreference|nonetype|of undefined")),
        ("code.stack_overflow", R("stackoverflow|recursion|call stack size")),
        ("code.index_error", R("index.*out of (range|bounds)|keyerror|indexerror")),
        ("code.type_error", R("classcast|typeerror|valueerror|numberformat")),
        ("dependency.missing", R("modulenotfound|importerror|classnotfound|noclassdeffound|cannot find module")),
        ("config.invalid", R("config")),
        ("filesystem.not_found", R("no such file|enoent|filenotfound")),
        ("filesystem.permission", R("permission denied|eacces")),
        ("messaging.broker", R("kafka|broker|rebalance")),
        ("cache.unavailable", R("redis|memcache")),
        ("concurrency.thread_pool", R("rejectedexecution|thread pool")),
        ("data.validation", R("validation")),
        ("code.unhandled", R("exception|panic")),
    ];

    public static int Run(string[] args)
    {
        var path = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? SharedData.Of("eval", "real-errors-dev.jsonl");
        var rounds = int.Parse(args.FirstOrDefault(a => a.StartsWith("--rounds=", StringComparison.Ordinal))?[9..] ?? "200", CultureInfo.InvariantCulture);
        var excerpts = File.ReadLines(path).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("log_content").GetString()!)
            .Where(t => t.Length < 4096).ToList();
        var engine = new LogAnalyzer();
        var sink = 0;
        for (var i = 0; i < 20; i++)
        {
            foreach (var e in excerpts)
            {
                sink += engine.Analyze(new AnalysisInput(e, "svc", "production")).Summary.Length;
                sink += NaiveClassify(e).Length;
            }
        }

        var full = new List<double>(excerpts.Count * rounds);
        var naive = new List<double>(excerpts.Count * rounds);
        var sw = new Stopwatch();
        for (var r = 0; r < rounds; r++)
        {
            foreach (var e in excerpts)
            {
                sw.Restart();
                sink += engine.Analyze(new AnalysisInput(e, "svc", "production")).Summary.Length;
                sw.Stop();
                full.Add(sw.Elapsed.TotalMicroseconds);
                sw.Restart();
                sink += NaiveClassify(e).Length;
                sw.Stop();
                naive.Add(sw.Elapsed.TotalMicroseconds);
            }
        }

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"excerpts: {excerpts.Count} (< 4 KB, mean {excerpts.Average(e => e.Length):F0} chars) × {rounds} rounds, single thread, after warm-up; load average at end {load} on {Environment.ProcessorCount} cores"));
        Console.WriteLine();
        Console.WriteLine("| engine | calls | p50 (µs) | p99 (µs) | max (µs) |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("bifrost built-in, full analysis", full);
        Row("baseline: naive regex list, classify only", naive);
        Console.WriteLine();
        Console.WriteLine("Per-excerpt median over the rounds (removes scheduler preemption on a shared box), distribution across excerpts:");
        Console.WriteLine();
        Console.WriteLine("| engine | excerpts | p50 (µs) | p99 (µs) | max (µs) |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("bifrost built-in, full analysis", PerExcerptMedians(full, excerpts.Count, rounds));
        Row("baseline: naive regex list, classify only", PerExcerptMedians(naive, excerpts.Count, rounds));
        if (args.Contains("--stages"))
        {
            foreach (var stage in new[] { "normalize", "classify", "all" })
            {
                var t = Stopwatch.StartNew();
                for (var r = 0; r < rounds; r++)
                {
                    foreach (var e in excerpts)
                    {
                        var log = Bifrost.Analysis.Normalization.Normalizer.Normalize(e);
                        if (stage != "normalize")
                        {
                            var c = Bifrost.Analysis.Signatures.Classifier.Classify(log, "production");
                            if (stage == "all")
                            {
                                sink += engine.Analyze(new AnalysisInput(e, "svc", "production")).Summary.Length;
                            }

                            sink += c.Category.Length;
                        }
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage {stage}: {t.Elapsed.TotalMicroseconds / (rounds * excerpts.Count):F1} µs/excerpt (cumulative)"));
            }
        }

        if (args.Contains("--parts"))
        {
            var logs = excerpts.Select(e => Bifrost.Analysis.Normalization.Normalizer.Normalize(e)).ToList();
            void Time(string name, Action<int> body)
            {
                var t = Stopwatch.StartNew();
                for (var r = 0; r < rounds; r++)
                {
                    for (var i = 0; i < logs.Count; i++)
                    {
                        body(i);
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"part {name}: {t.Elapsed.TotalMicroseconds / (rounds * logs.Count):F1} µs/excerpt"));
            }

            Time("flatten", i => sink += Bifrost.Analysis.Signatures.Classifier.Flatten(logs[i]).Lower.Length);
            Time("flatten+scan", i =>
            {
                var f = Bifrost.Analysis.Signatures.Classifier.Flatten(logs[i]);
                Bifrost.Analysis.Signatures.SignatureTable.Scan(f.Lower, f.Original, (a, b) => sink += a);
            });
            var lowered = logs.Select(l => Bifrost.Analysis.Signatures.Classifier.Flatten(l).Lower).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw needle hits per excerpt: {lowered.Average(Bifrost.Analysis.Signatures.SignatureTable.RawHits):F1}"));
            Time("search-only", i => sink += Bifrost.Analysis.Signatures.SignatureTable.RawHits(lowered[i]));
            Time("hostport", i => sink += Bifrost.Analysis.Signatures.EntityExtractor.FindHostPort(excerpts[i]).Host?.Length ?? 0);
            Time("exception-name", i => sink += Bifrost.Analysis.Signatures.EntityExtractor.ExceptionName(excerpts[i])?.Length ?? 0);
            string[] cues = ["pod \"", "pods/", "pod/", "assigned ", "backoff", "errimage", "evicted", "pending", "running", "completed", "error "];
            Time("60 contains-ignorecase", i => { for (var k = 0; k < 6; k++) { foreach (var c in cues) { sink += excerpts[i].Contains(c, StringComparison.OrdinalIgnoreCase) ? 1 : 0; } } });
            Time("60 contains-ordinal", i => { for (var k = 0; k < 6; k++) { foreach (var c in cues) { sink += excerpts[i].Contains(c, StringComparison.Ordinal) ? 1 : 0; } } });
            Time("entities", i => sink += Bifrost.Analysis.Signatures.EntityExtractor.Extract(excerpts[i]).GetHashCode());
            Time("classify", i => sink += Bifrost.Analysis.Signatures.Classifier.Classify(logs[i], "production").Category.Length);
            var verdicts = logs.Select(l => Bifrost.Analysis.Signatures.Classifier.Classify(l, "production")).ToList();
            Time("explain", i => sink += Bifrost.Analysis.Explanation.Explainer.Explain(verdicts[i], logs[i].Events.Count == 0 ? null : logs[i].Events[verdicts[i].DecidingEvent], "svc", "en").Summary.Length);
            Time("severity", i => sink += (int)Bifrost.Analysis.Signatures.SeverityRules.Grade(verdicts[i].Category, null, excerpts[i], false, "production", Bifrost.Analysis.Normalization.LogLevel.Error, excerpts[i].ToLowerInvariant()));
            Time("fingerprint", i => sink += Bifrost.Analysis.Templates.TemplateFingerprint.Of(excerpts[i].Split('\n')[0]).Length);
            Time("redact", i => sink += Bifrost.Analysis.Redaction.Redactor.Redact(excerpts[i]).Length);
        }

        if (args.Contains("--slowest"))
        {
            var per = excerpts.Select((e, i) => (i, Median: Enumerable.Range(0, rounds).Select(r => full[r * excerpts.Count + i]).Order().ElementAt(rounds / 2))).OrderByDescending(x => x.Median).Take(8);
            foreach (var (i, median) in per)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slow: #{i} median {median:F0} µs len {excerpts[i].Length}: {excerpts[i][..Math.Min(80, excerpts[i].Length)].ReplaceLineEndings(" ")}"));
            }
        }
        GC.KeepAlive(sink);
        return 0;
    }

    private static List<double> PerExcerptMedians(List<double> samples, int excerpts, int rounds) =>
        [.. Enumerable.Range(0, excerpts).Select(i => Enumerable.Range(0, rounds).Select(r => samples[r * excerpts + i]).Order().ElementAt(rounds / 2))];

    private static void Row(string name, List<double> input)
    {
        var samples = input.Order().ToList();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {samples.Count} | {P(0.50):F1} | {P(0.99):F1} | {samples[^1]:F1} |"));
    }

    private static string NaiveClassify(string text)
    {
        foreach (var (category, regex) in Naive)
        {
            if (regex.IsMatch(text))
            {
                return category;
            }
        }

        return "unknown";
    }

    private static Regex R(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
}
