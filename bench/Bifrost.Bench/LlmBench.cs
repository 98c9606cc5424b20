using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Bifrost.Analyzers;
using Bifrost.FakeLlm;
using Bifrost.Llm;
using Microsoft.Extensions.Configuration;

namespace Bifrost.Bench;

/// <summary>
/// llm-cache: LLM calls made for a stream of requests drawn from a few recurring failures (target: one per distinct
/// failure). llm-down-latency: latency of hybrid mode when the LLM server hangs or is down (target: p99 under
/// ai.timeout + 100 ms, no request lost), with the built-in engine alone side by side in the same run.
/// Both run against the in-process fake Ollama server (tests/Bifrost.FakeLlm) over real HTTP on loopback.
/// </summary>
internal static class LlmBench
{
    public static int Cache(string[] args) => CacheAsync(new BenchArgs(args)).GetAwaiter().GetResult();

    public static int DownLatency(string[] args) => DownLatencyAsync(new BenchArgs(args)).GetAwaiter().GetResult();

    private static async Task<int> CacheAsync(BenchArgs args)
    {
        var requests = args.Int("--requests", 10_000);
        var failures = args.Int("--failures", 200);
        var concurrency = args.Int("--concurrency", 64);
        var modelMs = args.Int("--model-ms", 50);
        WarmUp(failures);
        Console.WriteLine($"llm-cache: {requests} requests from {failures} recurring failures, {concurrency} concurrent, fake model answers in {modelMs} ms");
        Console.WriteLine("| mode | requests | distinct failures (service × failure) | distinct fingerprints | LLM calls | cache hits | fallbacks | tokens | wall s | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var mode in new[] { "builtin", "llm", "hybrid" })
        {
            await using var server = await FakeLlmServer.StartAsync(r => FakeModel.Answer(r) with { Delay = TimeSpan.FromMilliseconds(modelMs) });
            await using var selection = AnalyzerSelection.Create(mode, Configuration(server.BaseUrl.ToString(), timeoutSeconds: 20));
            var run = await DriveAsync(selection.Analyzer, new RecurringFailures(failures, seed: 42), requests, concurrency);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | {run.Outcomes.Count} | {run.DistinctFailures} | {run.DistinctFingerprints} | {server.CallCount} | {run.Outcomes.Count(o => o.CacheHit)} | {run.Outcomes.Count(o => o.Fallback)} | {run.Outcomes.Sum(o => o.TokensUsed)} | {run.Wall.TotalSeconds:0.00} | {run.Percentile(0.50):0.00} | {run.Percentile(0.99):0.00} |"));
            if (server.CallCount > run.DistinctFailures)
            {
                Console.Error.WriteLine($"FAIL: {server.CallCount} LLM calls for {run.DistinctFailures} distinct failures");
                return 1;
            }
        }

        return 0;
    }

    private static async Task<int> DownLatencyAsync(BenchArgs args)
    {
        var requests = args.Int("--requests", 2_000);
        var failures = args.Int("--failures", 200);
        var rate = args.Int("--rate", 200);
        var timeout = args.Double("--timeout", 1.0);
        Console.WriteLine($"llm-down-latency: {requests} requests from {failures} recurring failures offered at {rate}/s, ai.timeout {timeout} s");
        Console.WriteLine("| LLM server | mode | requests | answered | fallbacks | calls reaching the server | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        WarmUp(failures);
        var failed = false;
        foreach (var scenario in new[] { "hanging", "down (connection refused)" })
        {
            foreach (var mode in new[] { "builtin", "hybrid" })
            {
                await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.Hangs());
                var baseUrl = scenario == "hanging" ? server.BaseUrl.ToString() : FakeLlmServer.ClosedPortUrl().ToString();
                await using var selection = AnalyzerSelection.Create(mode, Configuration(baseUrl, timeout));
                var run = await OfferAsync(selection.Analyzer, new RecurringFailures(failures, seed: 7), requests, rate);
                var p99 = run.Percentile(0.99);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {scenario} | {mode} | {requests} | {run.Outcomes.Count} | {run.Outcomes.Count(o => o.Fallback)} | {server.CallCount} | {run.Percentile(0.50):0.00} | {p99:0.00} | {run.Percentile(1):0.00} |"));
                failed |= run.Outcomes.Count != requests || p99 >= (timeout * 1000) + 100;
            }
        }

        if (failed)
        {
            Console.Error.WriteLine("FAIL: a request was lost or p99 exceeded ai.timeout + 100 ms");
        }

        return failed ? 1 : 0;
    }

    /// <summary>JIT the engine before measuring: a cold first analysis costs hundreds of milliseconds.</summary>
    private static void WarmUp(int failures)
    {
        var engine = new Bifrost.Analysis.LogAnalyzer();
        var stream = new RecurringFailures(failures, seed: 1);
        for (var i = 0; i < 500; i++)
        {
            var (excerpt, service, _) = stream.Next();
            engine.Analyze(new Bifrost.Analysis.AnalysisInput(excerpt, service, "production"));
        }
    }

    /// <summary>
    /// An open loop: requests start at a fixed rate whatever the answers do (as a consumer with a bounded in-flight
    /// window sees them); latency is counted from each request's scheduled start.
    /// </summary>
    private static async Task<Run> OfferAsync(IAnalyzer analyzer, RecurringFailures stream, int requests, int rate)
    {
        var items = Enumerable.Range(0, requests).Select(_ => stream.Next()).ToList();
        var outcomes = new ConcurrentBag<AnalyzerOutcome>();
        var latencies = new ConcurrentBag<double>();
        var origin = Stopwatch.GetTimestamp();
        var tasks = new List<Task>(requests);
        for (var i = 0; i < requests; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - Stopwatch.GetElapsedTime(origin);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var item = items[i];
            tasks.Add(Task.Run(async () =>
            {
                var outcome = await analyzer.AnalyzeAsync(new AnalyzerRequest(item.Excerpt, item.Service, "production"), CancellationToken.None);

                latencies.Add((Stopwatch.GetElapsedTime(origin) - due).TotalMilliseconds);
                outcomes.Add(outcome);
            }));
        }

        await Task.WhenAll(tasks);
        return new Run([.. outcomes], [.. latencies.Order()], items.Select(x => x.Failure).Distinct().Count(), Stopwatch.GetElapsedTime(origin));
    }

    private static IConfiguration Configuration(string baseUrl, double timeoutSeconds) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ai:provider"] = "ollama",
            ["ai:base_url"] = baseUrl,
            ["ai:model"] = "mistral-7b",
            ["ai:timeout"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["ai:max_concurrency"] = "4",
            ["ai:retry_attempts"] = "2",
        }).Build();

    /// <summary>A closed loop: <paramref name="concurrency"/> workers send the stream as fast as answers come back.</summary>
    private static async Task<Run> DriveAsync(IAnalyzer analyzer, RecurringFailures stream, int requests, int concurrency)
    {
        var work = new ConcurrentQueue<(string Excerpt, string Service, int Failure)>(Enumerable.Range(0, requests).Select(_ => stream.Next()));
        var distinct = work.Select(w => w.Failure).Distinct().Count();
        var outcomes = new ConcurrentBag<AnalyzerOutcome>();
        var latencies = new ConcurrentBag<double>();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (work.TryDequeue(out var item))
            {
                var start = Stopwatch.GetTimestamp();
                var outcome = await analyzer.AnalyzeAsync(new AnalyzerRequest(item.Excerpt, item.Service, "production"), CancellationToken.None);

                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                outcomes.Add(outcome);
            }
        })));
        return new Run([.. outcomes], [.. latencies.Order()], distinct, wall.Elapsed);
    }

    private sealed record Run(List<AnalyzerOutcome> Outcomes, List<double> SortedLatencies, int DistinctFailures, TimeSpan Wall)
    {
        public int DistinctFingerprints => Outcomes.Select(o => o.Report.Fingerprint).Distinct(StringComparer.Ordinal).Count();

        public double Percentile(double p) =>
            SortedLatencies.Count == 0 ? 0 : SortedLatencies[Math.Clamp((int)Math.Ceiling(p * SortedLatencies.Count) - 1, 0, SortedLatencies.Count - 1)];
    }

    private sealed class BenchArgs(string[] args)
    {
        public int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        public double Double(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        private string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
    }
}
