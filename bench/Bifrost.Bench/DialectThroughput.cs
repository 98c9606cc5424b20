using System.Diagnostics;
using System.Text;
using Bifrost.Heimdall;
using Bifrost.Messaging;
using Bifrost.Storage;

namespace Bifrost.Bench;

/// <summary>
/// dialect-throughput [--records N] [--runs R]: the per-record cost of speaking Heimdall's dialects, in-process (no
/// broker, no store). Parsing: <see cref="RequestParser.Parse"/> of one request of each dialect (as Heimdall's
/// producers write them) with detection on (<c>heimdall.dialect: auto</c>) against the same parser told the dialect
/// (the baseline: what detection adds is the difference). Writing: each dialect's result record for the same stored
/// analysis, against the guide's <see cref="ResultMessage"/> (the writer that was already tuned). Records/s (median
/// of R runs) and bytes allocated per record (this thread).
/// </summary>
internal static class DialectThroughput
{
    private const string Guide = """{"request_id":"550e8400-e29b-41d4-a716-446655440000","timestamp":"2024-11-12T10:30:00Z","log_id":12345,"log_content":"ERROR: Connection timeout to database","service_name":"user-service","environment":"production","analysis_type":"error","priority":"HIGH","callback_topic":"analysis.result","correlation_id":"corr-123456"}""";
    private const string V1 = """{"requestId":"0c7e5a91-2b3d-4f6e-8a9b-1c2d3e4f5a6b","timestamp":"2026-01-31T10:16:02Z","logId":1025,"logContent":"2026-01-31T10:16:02.004Z FATAL [order-api] 주문 처리 실패\njava.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)","serviceName":"order-api","environment":"prod","analysisType":"error","priority":"CRITICAL","callbackTopic":"analysis.result","correlationId":"3f2504e0-4f89-41d3-9a0c-0305e82c3301"}""";
    private const string V2 = """{"schema_version":1,"job_id":"c2a8e4f0-6d1b-4b7e-a3c9-5e2f1d0b9a77","idempotency_key":"p1-b1-real-local-ai-v1","log_id":77,"tenant_id":null,"priority":"FATAL","timeout_ms":null,"model_policy":{"source":"local"},"trace_id":"0f3e6a52-9c1d-4e27-8b4a-2d7c5e1f3a90","timestamp":"2026-08-20T01:00:07Z"}""";

    public static int Run(string[] args)
    {
        var records = Options.Int(ref args, "--records", 300_000);
        var runs = Options.Int(ref args, "--runs", 7);
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "analysis.result" };
        RequestParser Parser(Dialect? forced) => new(1_048_576, allowed, "analysis.result", forced);
        var auto = Parser(null);

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {Options.LoadAverage()}");
        Console.WriteLine($"{records:N0} records per run, {runs} runs, median; allocation per record on this thread");
        Console.WriteLine("| parse | told the dialect (baseline) records/s | detected (auto) records/s | auto/told (median of paired runs) | bytes/record told | bytes/record auto |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, json, dialect) in new[] { ("guide", Guide, Dialect.Guide), ("release 1", V1, Dialect.V1), ("release 2", V2, Dialect.V2) })
        {
            ReadOnlyMemory<byte>? bytes = Encoding.UTF8.GetBytes(json);
            if (auto.Parse(bytes).Dialect != dialect)
            {
                throw new InvalidOperationException($"{name} was not detected as {dialect}");
            }

            var told = Parser(dialect);
            Pair(name, records, runs, () => told.Parse(bytes), () => auto.Parse(bytes));
        }

        var analysis = Stored();
        var reply = new V2Reply("c2a8e4f0-6d1b-4b7e-a3c9-5e2f1d0b9a77", "0f3e6a52-9c1d-4e27-8b4a-2d7c5e1f3a90", 77);
        Console.WriteLine("\n| write result | records/s | bytes/record |");
        Console.WriteLine("|---|---:|---:|");
        Row("guide (ResultMessage, baseline)", records, runs, () => ResultMessage.Value(analysis));
        Row("release 1 (V1ResultMessage)", records, runs, () => V1ResultMessage.Value(analysis));
        Row("release 2 (V2ResultMessage)", records, runs, () => V2ResultMessage.Value(analysis, reply));
        Row("release 2 FAILED (V2ResultMessage.FailedValue)", records, runs, () => V2ResultMessage.FailedValue(reply, "LOG_NOT_FOUND", "log_entries row 77 not found after 30 s", analysis.Result!.ResultAt, 30));
        Row("release 2 record with headers (DialectMessages.Result)", records, runs, () => DialectMessages.Result(Dialect.V2, analysis, reply, headers: true));
        return 0;
    }

    /// <summary>Baseline and candidate measured alternately, run by run, so a busy machine slows both alike.</summary>
    private static void Pair(string name, int records, int runs, Func<object> baseline, Func<object> candidate)
    {
        Measure(records / 10, baseline);
        Measure(records / 10, candidate);
        var pairs = Enumerable.Range(0, runs).Select(_ => (Base: Measure(records, baseline), Candidate: Measure(records, candidate))).ToArray();
        double Median(IEnumerable<double> values) => values.Order().ToArray()[runs / 2];
        Console.WriteLine($"| {name} | {Median(pairs.Select(p => p.Base.PerSecond)):N0} | {Median(pairs.Select(p => p.Candidate.PerSecond)):N0} | " +
            $"{Median(pairs.Select(p => p.Candidate.PerSecond / p.Base.PerSecond)):0.00} | {Median(pairs.Select(p => p.Base.Bytes)):N0} | {Median(pairs.Select(p => p.Candidate.Bytes)):N0} |");
    }

    private static void Row(string name, int records, int runs, Func<object> work)
    {
        Measure(records / 10, work);
        var results = Enumerable.Range(0, runs).Select(_ => Measure(records, work)).ToArray();
        var perSecond = results.Select(r => r.PerSecond).Order().ToArray()[runs / 2];
        var bytes = results.Select(r => r.Bytes).Order().ToArray()[runs / 2];
        Console.WriteLine($"| {name} | {perSecond:N0} | {bytes:N0} |");
    }

    private static (double PerSecond, double Bytes) Measure(int records, Func<object> work)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        object? last = null;
        for (var i = 0; i < records; i++)
        {
            last = work();
        }

        var seconds = watch.Elapsed.TotalSeconds;
        GC.KeepAlive(last);
        return (records / seconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)records);
    }

    private static StoredAnalysis Stored()
    {
        var at = new DateTimeOffset(2026, 8, 20, 1, 0, 8, 123, TimeSpan.Zero);
        var request = new NewAnalysis("p1-b1-real-local-ai-v1", "0f3e6a52-9c1d-4e27-8b4a-2d7c5e1f3a90", 77, "order-api", "prod", "CRITICAL", "error", "analysis.result", "{}",
            "FATAL java.lang.OutOfMemoryError: Java heap space", AnalysisSources.Kafka, at, at, "v2");
        var result = new AnalysisResultData("The JVM ran out of heap while snapshotting the cart.", "CartService.snapshot copies the whole cart array on every call.",
            "Raise -Xmx or stream the snapshot; check for a cart that grows without bound.", "CRITICAL", 0.87, "resource.memory", "3f1a9c0e5b7d2468", "[]",
            "bifrost-builtin/1.4.0", "builtin", 0.004, 0, false, false, at);
        return new StoredAnalysis(9001, request, AnalysisStatus.COMPLETED, at, at, 1, null, result);
    }
}
