using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Bifrost.Analysis;
using Bifrost.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Bifrost.Bench;

/// <summary>
/// What it measures: requests/s and latency (p50/p99, request sent → result received) of the gRPC API of a
/// running `bifrost serve` with the built-in engine — bidirectional <c>AnalyzeStream</c> (a window of
/// requests kept in flight) and unary <c>Analyze</c> (concurrent callers) — next to, in the same run, the
/// engine alone in this process (the ceiling no transport can beat).
/// Usage: grpc-load --address http://127.0.0.1:8081 [--seconds 15] [--window 64] [--callers 16] [--key KEY]
/// scripts/bench-http.sh starts the server and runs this after wrk.
/// </summary>
public static class GrpcLoad
{
    private static readonly string[] Logs =
    [
        "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms",
        "java.lang.OutOfMemoryError: Java heap space\n\tat com.example.Cache.put(Cache.java:42)",
        "upstream connect error or disconnect/reset before headers. reset reason: connection timeout",
        "FATAL: remaining connection slots are reserved for non-replication superuser connections",
        "ERROR Failed to write /var/lib/app/data.bin: No space left on device",
    ];

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var address = Arg(args, "--address") ?? "http://127.0.0.1:8081";
        var seconds = double.Parse(Arg(args, "--seconds") ?? "15", CultureInfo.InvariantCulture);
        var window = int.Parse(Arg(args, "--window") ?? "64", CultureInfo.InvariantCulture);
        var callers = int.Parse(Arg(args, "--callers") ?? "16", CultureInfo.InvariantCulture);
        var key = Arg(args, "--key");
        var duration = TimeSpan.FromSeconds(seconds);
        var headers = new Metadata();
        if (key is not null) headers.Add("x-api-key", key);

        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);
        await client.AnalyzeAsync(Request(0), headers); // warm-up: connection, JIT, schema

        Console.WriteLine($"grpc-load against {address}, {seconds:0.#} s per scenario, built-in engine");
        Report("engine alone (in-process, 1 thread)", EngineAlone(duration));
        Report($"AnalyzeStream (1 call, window {window})", await StreamAsync(client, headers, window, duration));
        Report($"Analyze unary ({callers} concurrent callers)", await UnaryAsync(client, headers, callers, duration));
        return 0;
    }

    private static AnalyzeRequest Request(long i) => new()
    {
        LogContent = Logs[i % Logs.Length] + " #" + i.ToString(CultureInfo.InvariantCulture),
        ServiceName = "bench-" + (i % 7).ToString(CultureInfo.InvariantCulture),
        Environment = "prod",
        ClientTag = i.ToString(CultureInfo.InvariantCulture),
    };

    private static Result EngineAlone(TimeSpan duration)
    {
        var engine = new LogAnalyzer();
        var latencies = new List<double>();
        var sw = Stopwatch.StartNew();
        long i = 0;
        while (sw.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            engine.Analyze(new AnalysisInput(Logs[i % Logs.Length] + " #" + i, "bench", "prod"));
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            i++;
        }

        return new Result(i, sw.Elapsed, latencies);
    }

    private static async Task<Result> StreamAsync(Bifrost.Api.V1.Analysis.AnalysisClient client, Metadata headers, int window, TimeSpan duration)
    {
        using var call = client.AnalyzeStream(headers);
        var sent = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentBag<double>();
        using var slots = new SemaphoreSlim(window, window);
        long errors = 0;
        var reader = Task.Run(async () =>
        {
            await foreach (var r in call.ResponseStream.ReadAllAsync())
            {
                if (sent.TryRemove(r.ClientTag, out var start)) latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (r.Error.Length > 0 || r.Analysis?.Status != "COMPLETED") Interlocked.Increment(ref errors);
                slots.Release();
            }
        });

        var sw = Stopwatch.StartNew();
        long i = 0;
        while (sw.Elapsed < duration)
        {
            await slots.WaitAsync();
            var request = Request(++i);
            sent[request.ClientTag] = Stopwatch.GetTimestamp();
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        await reader;
        var elapsed = sw.Elapsed;
        if (errors > 0) Console.WriteLine($"  ({errors} stream results were errors)");
        return new Result(latencies.Count, elapsed, [.. latencies]);
    }

    private static async Task<Result> UnaryAsync(Bifrost.Api.V1.Analysis.AnalysisClient client, Metadata headers, int callers, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        long counter = 1_000_000_000;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            while (sw.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await client.AnalyzeAsync(Request(Interlocked.Increment(ref counter)), headers);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        return new Result(latencies.Count, sw.Elapsed, [.. latencies]);
    }

    private static void Report(string name, Result r)
    {
        var sorted = r.LatenciesMs.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-45} {r.Count / r.Elapsed.TotalSeconds,10:0} req/s   p50 {P(0.50),8:0.000} ms   p99 {P(0.99),8:0.000} ms   ({r.Count} requests)"));
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed record Result(long Count, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs);
}
