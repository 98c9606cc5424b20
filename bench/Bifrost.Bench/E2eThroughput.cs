using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Npgsql;

namespace Bifrost.Bench;

/// <summary>
/// e2e-throughput — what the Kafka pipeline sustains end to end, against what the broker allows:
///  1. raw: a plain Confluent.Kafka consume → produce loop (no parsing, no storage) over N pre-loaded records;
///  2. bifrost: the `bifrost serve` executable (built-in engine, PostgreSQL storage) over N pre-loaded requests;
///  rate = N / (time the last output record was consumed − the first), measured by the same collector for both.
///  2b. pipeline only: the same `serve` host in-process with a constant analyzer, i.e. what the pipeline itself
///     (Kafka, parsing, PostgreSQL, publishing, offsets) sustains whatever the engine costs;
///  3. latency: requests offered at a fixed rate (default 1,000/s) to a warm `bifrost serve`; request → result
///     time measured by the load generator (send → result consumed), p50/p99.
/// --cold-backlog: the moment after an outage instead of a service warm for days — N requests pre-produced, every
/// excerpt a different real failure (<see cref="BacklogRequests"/>), a fresh `bifrost serve` (JIT, empty caches), no
/// warm-up: the rate is read between 10 % and 90 % of the results, for the raw loop (draining the same bytes) too;
/// CPU per request of `bifrost serve`, PostgreSQL and the broker over the same window.
/// --serve-exe PATH runs another build's executable (paired runs); --serve-env K=V (repeatable) adds its environment.
/// Needs BIFROST_TEST_KAFKA and BIFROST_TEST_POSTGRES (scripts/bench-e2e.sh starts both).
/// </summary>
public static class E2eThroughput
{
    private static readonly string[] Lines =
    [
        "ERROR: Connection timeout to database",
        "2024-11-12 10:30:59.812 ERROR 1 --- [nio-8080-exec-3] o.h.engine.jdbc.spi.SqlExceptionHelper   : HikariPool-1 - Connection is not available, request timed out after 30000ms.",
        "java.lang.OutOfMemoryError: Java heap space",
        "WARN  kafka: Rebalance in progress, commit failed",
        "2024-11-12T10:30:00.123Z ERROR [order-api] payment failed\nTraceback (most recent call last):\n  File \"/app/orders/service.py\", line 88, in place_order\n    total = cart.items[0].price * qty\nIndexError: list index out of range",
        "ERROR dial tcp 10.0.3.7:6379: connect: connection refused",
    ];

    public static int Run(string[] args)
    {
        var messages = IntArg(args, "--messages", 200_000);
        // Records processed before the measured ones: a service runs warm (JIT tiering, pools, caches) for days,
        // so the rate counts only the results after the first --warmup (both loops get the same treatment). A fresh
        // `bifrost serve` is still JIT-compiling for seconds: measured, 43 µs CPU per request over the 100k records
        // after a 20k warm-up, 20 µs after a 200k one.
        var warmup = IntArg(args, "--warmup", 200_000);
        ColdBacklog = args.Contains("--cold-backlog");
        ServeExe = Array.IndexOf(args, "--serve-exe") is var exe and >= 0 && exe + 1 < args.Length ? Path.GetFullPath(args[exe + 1]) : null;
        ServeEnv = [.. args.Select((a, i) => (a, i)).Where(x => x.a == "--serve-env" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(kv[0], kv.Length > 1 ? kv[1] : string.Empty))];
        if (ColdBacklog)
        {
            warmup = 0;
            var generated = Stopwatch.StartNew();
            var backlog = BacklogRequests.Generate(messages);
            Payload = (i, _) => backlog.Payloads[i];
            Console.WriteLine($"cold backlog: {messages:N0} requests, every excerpt different ({backlog.RealTemplates} real excerpts with redrawn digits + {backlog.CatalogueTemplates} failure shapes with fresh values; mean {backlog.MeanExcerptChars:N0} chars), generated in {generated.Elapsed.TotalSeconds:N1} s");
        }

        // --unique-excerpts: every request's log_content differs (a job id in the line), so the built-in answer cache
        // never hits and each request costs a full analysis — the worst case next to the 6-line mix's best case.
        UniqueExcerpts = args.Contains("--unique-excerpts");
        // --with-knowledge: the database starts with the team runbooks of eval/runbooks (43 sections) and a correction
        // plus a note for one of the excerpts' failures, so every analysis runs both enrichers (issue 16) and most store
        // a citation; without it (the default) they find nothing to add.
        WithKnowledge = args.Contains("--with-knowledge");
        var runs = IntArg(args, "--runs", 3);
        var rate = IntArg(args, "--rate", 1000);
        var seconds = IntArg(args, "--latency-seconds", 10);
        // --scenarios raw,bifrost,pipeline,latency (default: all) — e.g. to profile one of them alone.
        var scenarios = (Array.IndexOf(args, "--scenarios") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : ColdBacklog ? "raw,bifrost" : "raw,bifrost,pipeline,latency").Split(',');
        var kafka = System.Environment.GetEnvironmentVariable("BIFROST_TEST_KAFKA") ?? throw new InvalidOperationException("BIFROST_TEST_KAFKA is not set (use scripts/bench-e2e.sh)");
        var postgres = System.Environment.GetEnvironmentVariable("BIFROST_TEST_POSTGRES") ?? throw new InvalidOperationException("BIFROST_TEST_POSTGRES is not set");

        var raw = new List<double>();
        var bifrost = new List<double>();
        var pipelineOnly = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            raw.Add(scenarios.Contains("raw") ? Settled(() => RawLoop(kafka, warmup, messages)) : double.NaN);
            bifrost.Add(scenarios.Contains("bifrost") ? Settled(() => BifrostRun(kafka, postgres, warmup, messages)) : double.NaN);
            pipelineOnly.Add(scenarios.Contains("pipeline") ? Settled(() => BifrostRun(kafka, postgres, warmup, messages, inProcessConstantAnalyzer: true)) : double.NaN);
            Console.WriteLine($"run {run}: raw {raw[^1]:N0} msgs/s, bifrost {bifrost[^1]:N0} requests/s ({bifrost[^1] / raw[^1]:P0}), pipeline only {pipelineOnly[^1]:N0} requests/s ({pipelineOnly[^1] / raw[^1]:P0})");
        }

        var (p50, p99, offered, answered) = scenarios.Contains("latency") ? Latency(kafka, postgres, rate, seconds) : (double.NaN, double.NaN, 0, 0);
        var (rawMedian, bifrostMedian) = (Median(raw), Median(bifrost));
        Console.WriteLine();
        Console.WriteLine(ColdBacklog
            ? $"| measure (cold backlog: {messages:N0} records, fresh process, rate between 10 % and 90 % of the results, median of {runs}) | value |"
            : $"| measure ({messages:N0} records after {warmup:N0} warm-up, median of {runs}) | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| raw Confluent.Kafka consume → produce loop | {rawMedian:N0} msgs/s |");
        Console.WriteLine($"| Bifrost end to end (parse, store in PostgreSQL, analyse, publish, commit) | {bifrostMedian:N0} requests/s |");
        Console.WriteLine($"| Bifrost / raw | {bifrostMedian / rawMedian:P0} |");
        if (scenarios.Contains("pipeline"))
        {
            Console.WriteLine($"| pipeline only (same host in-process, constant analyzer) | {Median(pipelineOnly):N0} requests/s ({Median(pipelineOnly) / rawMedian:P0} of raw) |");
        }

        if (scenarios.Contains("latency"))
        {
            Console.WriteLine($"| request → result latency at {rate:N0} requests/s offered ({answered:N0}/{offered:N0} answered) | p50 {p50:N1} ms, p99 {p99:N1} ms |");
        }
        return 0;
    }

    private static bool UniqueExcerpts { get; set; }

    private static bool WithKnowledge { get; set; }

    /// <summary>Runbooks and one correction + note in a fresh database, before the service starts (see --with-knowledge).</summary>
    private static void SeedKnowledge(string databaseUrl) => SeedKnowledgeAsync(databaseUrl).GetAwaiter().GetResult();

    private static async Task SeedKnowledgeAsync(string databaseUrl)
    {
        var store = Bifrost.Storage.DatabaseUrl.CreateStore(databaseUrl);
        await store.MigrateAsync(default);
        await ((IAsyncDisposable)store).DisposeAsync();
        await using var db = Bifrost.Knowledge.KnowledgeDatabase.FromUrl(databaseUrl);
        var engine = new Bifrost.Analysis.LogAnalyzer();
        var importer = new Bifrost.Runbooks.RunbookImporter(new Bifrost.Runbooks.PostgresRunbookStore(db), engine);
        foreach (var file in Directory.GetFiles(Path.Combine(RunbookEval.RepoRoot(), "eval/runbooks/team"), "*.md"))
        {
            await importer.ImportAsync(Path.GetFileName(file), await File.ReadAllTextAsync(file), "bench", DateTimeOffset.UtcNow, default);
        }

        var report = engine.Analyze(new Bifrost.Analysis.AnalysisInput(Lines[1]));
        await new Bifrost.Feedback.PostgresFeedbackStore(db).AddAsync(
            new Bifrost.Feedback.FeedbackSubject(1, report.Fingerprint, "bench", report.Category, report.Severity.ToString(), "builtin"),
            new Bifrost.Feedback.FeedbackInput(Category: "database.connection", Severity: "CRITICAL", Note: "raised max_connections on db-2"), "bench", DateTimeOffset.UtcNow, default);
    }

    private static bool ColdBacklog { get; set; }

    private static string? ServeExe { get; set; }

    private static KeyValuePair<string, string>[] ServeEnv { get; set; } = [];

    /// <summary>Record i of a run (prefix: the run's request_id prefix): the 6-line mix, or the cold backlog's pre-built bytes.</summary>
    private static Func<int, string, byte[]> Payload { get; set; } = Request;

    /// <summary>The measured window as indices into the results in arrival order: after the warm-up, or 10–90 % of a cold backlog.</summary>
    private static (int From, int To) Window(int warmup, int messages) => ColdBacklog ? (messages / 10, messages * 9 / 10) : (warmup, messages);

    /// <summary>
    /// Each scenario starts on a settled machine: the previous one left hundreds of MB of broker log pages to write
    /// back, which otherwise lands in the next measurement (measured: `bifrost serve` 37–40k/s alone, 32–35k/s right
    /// after the raw loop).
    /// </summary>
    private static double Settled(Func<double> scenario)
    {
        using (var sync = Process.Start("sync"))
        {
            sync.WaitForExit();
        }

        Thread.Sleep(3000);
        return scenario();
    }

    private static ClientConfig Client(string kafka) => new(new Dictionary<string, string>
    {
        ["bootstrap.servers"] = kafka,
        ["api.version.request"] = "false",
        ["broker.version.fallback"] = "0.9.0.1",
    });

    private static string Topic(string name) => $"bench{Guid.NewGuid().ToString("N")[..8]}.{name}";

    private static byte[] Request(int i, string prefix) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["request_id"] = $"{prefix}-{i}",
        ["timestamp"] = "2026-11-12T10:30:00Z",
        ["log_id"] = i,
        ["log_content"] = UniqueExcerpts ? $"{Lines[Math.Abs(i) % Lines.Length]} [job {prefix}-{i}]" : Lines[Math.Abs(i) % Lines.Length],
        ["service_name"] = $"service-{Math.Abs(i) % 13}",
        ["environment"] = i % 4 == 0 ? "staging" : "production",
        ["priority"] = "HIGH",
        ["correlation_id"] = $"corr-{i}",
    });

    private static void Preload(string kafka, string topic, int messages, string prefix)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig(Client(kafka)) { LingerMs = 20, Acks = Acks.All }).SetLogHandler((_, _) => { }).Build();
        for (var i = 0; i < messages; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"k{i % 64}"), Value = Payload(i, prefix) });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
    }

    /// <summary>Baseline: consume N records and produce each to another topic, async with delivery reports.</summary>
    internal static double RawLoop(string kafka, int warmup, int measured)
    {
        var messages = warmup + measured;
        var (input, output) = (Topic("raw-in"), Topic("raw-out"));
        Preload(kafka, input, messages, "raw");
        using var collector = new Collector(kafka, output);
        var consumerConfig = new ConsumerConfig(Client(kafka)) { GroupId = "raw-" + Guid.NewGuid().ToString("N"), SessionTimeoutMs = 10000, AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoOffsetStore = false };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig).SetLogHandler((_, _) => { }).Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig(Client(kafka)) { LingerMs = 5, Acks = Acks.All }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(input);
        var delivered = 0;
        long first = long.MaxValue, last = 0;
        var consumed = 0;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (Volatile.Read(ref delivered) < messages && DateTime.UtcNow < deadline)
        {
            if (consumed < messages && consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
            {
                consumed++;
                var offset = record.TopicPartitionOffset;
                while (true)
                {
                    try
                    {
                        producer.Produce(output, new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value }, report =>
                        {
                            var ts = report.Message.Timestamp.UnixTimestampMs;
                            InterlockedMin(ref first, ts);
                            InterlockedMax(ref last, ts);
                            Interlocked.Increment(ref delivered);
                        });
                        break;
                    }
                    catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(1));
                    }
                }

                consumer.StoreOffset(offset);
            }
            else if (consumed >= messages)
            {
                producer.Flush(TimeSpan.FromSeconds(1));
            }
        }

        consumer.Close();
        while (collector.Count < delivered && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        return MeasuredRate(collector, Window(warmup, messages));
    }

    /// <summary>Results per second over the results of <paramref name="window"/> (indices in arrival order).</summary>
    private static double MeasuredRate(Collector collector, (int From, int To) window)
    {
        var measured = collector.Timestamps.Skip(window.From).Take(window.To - window.From).ToList();
        return measured.Count == 0 ? 0 : Rate(measured.Count, measured.Min(), measured.Max());
    }

    private static double BifrostRun(string kafka, string postgres, int warmup, int measured, bool inProcessConstantAnalyzer = false)
    {
        var messages = warmup + measured;
        var (request, result, dlq) = (Topic("request"), Topic("result"), Topic("dlq"));
        Preload(kafka, request, messages, "e2e-" + Guid.NewGuid().ToString("N")[..6]);
        using var database = FreshSchema(postgres);
        if (WithKnowledge)
        {
            SeedKnowledge(database.Url);
        }

        using var collector = new Collector(kafka, result);
        var started = Stopwatch.StartNew();
        using IService service = inProcessConstantAnalyzer ? InProcess.Start(Environment(kafka, database.Url, request, result, dlq)) : StartService(kafka, database.Url, request, result, dlq);
        var deadline = DateTime.UtcNow.AddMinutes(5);
        var window = Window(warmup, messages);
        var (postgresPid, brokerPid) = ProcessTreeCpu.Services();
        while (collector.Count < Math.Max(1, window.From) && DateTime.UtcNow < deadline && !service.HasExited)
        {
            Thread.Sleep(10);
        }

        var firstResults = started.Elapsed;
        var (serveBefore, postgresBefore, brokerBefore) = (service.CpuTime, ProcessTreeCpu.Of(postgresPid), ProcessTreeCpu.Of(brokerPid));
        while (collector.Count < window.To && DateTime.UtcNow < deadline && !service.HasExited)
        {
            Thread.Sleep(10);
        }

        var (serveAfter, postgresAfter, brokerAfter) = (service.CpuTime, ProcessTreeCpu.Of(postgresPid), ProcessTreeCpu.Of(brokerPid));
        while (collector.Count < messages && DateTime.UtcNow < deadline && !service.HasExited)
        {
            Thread.Sleep(10);
        }

        var serveWhole = service.CpuTime; // start-up, JIT and the whole drain: what a cold start costs

        // CPU per measured request (in-process: this whole process, pipeline + collector), PostgreSQL (all its
        // processes) and the broker over the same window.
        var perRequest = (double)(window.To - window.From) / 1_000_000;
        Console.WriteLine($"{(inProcessConstantAnalyzer ? "pipeline only" : "bifrost serve")}: CPU per request {(serveAfter - serveBefore).TotalSeconds / perRequest:N0} µs, " +
            $"PostgreSQL {(postgresAfter - postgresBefore).TotalSeconds / perRequest:N0} µs, broker {(brokerAfter - brokerBefore).TotalSeconds / perRequest:N0} µs" +
            (ColdBacklog ? $"; whole run {serveWhole.TotalSeconds * 1_000_000 / messages:N0} µs per request; 10 % of the results after {firstResults.TotalSeconds:N1} s, all {collector.Count:N0} after {started.Elapsed.TotalSeconds:N1} s" : string.Empty) +
            $" (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        return MeasuredRate(collector, window);
    }

    /// <summary>Fixed offered load; latency = send → result consumed, per request_id.</summary>
    private static (double P50, double P99, int Offered, int Answered) Latency(string kafka, string postgres, int rate, int seconds)
    {
        var (request, result, dlq) = (Topic("lat-request"), Topic("lat-result"), Topic("lat-dlq"));
        using var database = FreshSchema(postgres);
        using var collector = new Collector(kafka, result);
        using var service = StartService(kafka, database.Url, request, result, dlq);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig(Client(kafka)) { LingerMs = 0, Acks = Acks.All }).SetLogHandler((_, _) => { }).Build();
        // Warm-up: wait until the service answers at all (group joined, connections open).
        var warm = Stopwatch.StartNew();
        producer.Produce(request, new Message<byte[], byte[]> { Value = Request(-1, "warmup") });
        producer.Flush(TimeSpan.FromSeconds(10));
        while (collector.Count == 0 && warm.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(20);
        }

        var sent = new ConcurrentDictionary<string, long>();
        var total = rate * seconds;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            while (clock.Elapsed < due)
            {
                if (due - clock.Elapsed > TimeSpan.FromMilliseconds(2))
                {
                    Thread.Sleep(1);
                }
            }

            var id = $"lat-{i}";
            sent[id] = Stopwatch.GetTimestamp();
            producer.Produce(request, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"k{i % 64}"), Value = Request(i, "lat") });
            producer.Poll(TimeSpan.Zero);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        var until = DateTime.UtcNow.AddSeconds(30);
        while (collector.Received.Count < total + 1 && DateTime.UtcNow < until)
        {
            Thread.Sleep(100);
        }

        var latencies = collector.Received.Where(kv => sent.ContainsKey(kv.Key))
            .Select(kv => Stopwatch.GetElapsedTime(sent[kv.Key], kv.Value).TotalMilliseconds).Order().ToArray();
        return (Percentile(latencies, 0.50), Percentile(latencies, 0.99), total, latencies.Length);
    }

    private sealed class Collector : IDisposable
    {
        private readonly IConsumer<byte[], byte[]> _consumer;
        private readonly Thread _thread;
        private volatile bool _stop;

        public ConcurrentQueue<long> TimestampQueue { get; } = new();

        public ConcurrentDictionary<string, long> Received { get; } = new();

        public int Count => TimestampQueue.Count;

        public List<long> Timestamps => [.. TimestampQueue];

        public Collector(string kafka, string topic)
        {
            _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(Client(kafka))
            {
                GroupId = "collector-" + Guid.NewGuid().ToString("N"),
                SessionTimeoutMs = 10000,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                FetchWaitMaxMs = 10,
            }).SetLogHandler((_, _) => { }).Build();
            _consumer.Subscribe(topic);
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    try
                    {
                        if (_consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } r)
                        {
                            var now = Stopwatch.GetTimestamp();
                            TimestampQueue.Enqueue(System.Environment.TickCount64); // the 0.9 message format has no record timestamps
                            using var json = JsonDocument.Parse(r.Message.Value);
                            Received.TryAdd(json.RootElement.GetProperty("request_id").GetString()!, now);
                        }
                    }
                    catch (ConsumeException)
                    {
                    }
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
            _consumer.Close();
            _consumer.Dispose();
        }
    }

    private interface IService : IDisposable
    {
        bool HasExited { get; }

        TimeSpan CpuTime { get; }
    }

    /// <summary>The serve host in this process with an analyzer that answers instantly: measures the pipeline alone.</summary>
    private sealed class InProcess(Microsoft.AspNetCore.Builder.WebApplication app) : IService
    {
        private static readonly Bifrost.Analyzers.AnalyzerOutcome Answer = new(
            new Bifrost.Analysis.LogAnalyzer().Analyze(new Bifrost.Analysis.AnalysisInput(Lines[0], "svc", "production")), "builtin", "constant");

        public bool HasExited => false;

        public TimeSpan CpuTime => Process.GetCurrentProcess().TotalProcessorTime;

        public static InProcess Start(Dictionary<string, string> env)
        {
            var app = Bifrost.Commands.BifrostHost.Build(null, ["--urls", "http://127.0.0.1:0"], env,
                services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Bifrost.Analyzers.IAnalyzer>(services, new Constant()));
            app.StartAsync().GetAwaiter().GetResult();
            return new InProcess(app);
        }

        public void Dispose()
        {
            app.StopAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        private sealed class Constant : Bifrost.Analyzers.IAnalyzer
        {
            public bool IsInstant => true;

            public Task<Bifrost.Analyzers.AnalyzerOutcome> AnalyzeAsync(Bifrost.Analyzers.AnalyzerRequest request, CancellationToken cancellationToken) => Task.FromResult(Answer);
        }
    }

    private sealed class Service(Process process) : IService
    {
        public bool HasExited => process.HasExited;

        public TimeSpan CpuTime
        {
            get
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }
        }

        public void Dispose()
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    private static Service StartService(string kafka, string databaseUrl, string request, string result, string dlq)
    {
        var info = new ProcessStartInfo(ServeExe ?? Path.Combine(AppContext.BaseDirectory, "bifrost")) { UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (key, value) in Environment(kafka, databaseUrl, request, result, dlq).Concat(ServeEnv))
        {
            info.Environment[key] = value;
        }

        return new Service(Process.Start(info)!);
    }

    private static Dictionary<string, string> Environment(string kafka, string databaseUrl, string request, string result, string dlq)
    {
        var env = new Dictionary<string, string>();
        env["KAFKA_BOOTSTRAP_SERVERS"] = kafka;
        env["DATABASE_URL"] = databaseUrl;
        env["LOG_LEVEL"] = "warning";
        env["kafka__group_id"] = "bench-" + Guid.NewGuid().ToString("N")[..8];
        env["kafka__topics__request"] = request;
        env["kafka__topics__result"] = result;
        env["kafka__topics__dlq"] = dlq;
        env["heimdall__callback_topic"] = result;
        env["kafka__dlq_headers"] = "false";
        env["kafka__producer__enable.idempotence"] = "false";
        foreach (var side in new[] { "consumer", "producer" })
        {
            env[$"kafka__{side}__api.version.request"] = "false";
            env[$"kafka__{side}__broker.version.fallback"] = "0.9.0.1";
        }

        return env;
    }

    internal sealed class Schema(string url, string name, string adminConnection) : IDisposable
    {
        public string Url => url;

        public void Dispose()
        {
            NpgsqlConnection.ClearAllPools();
            using var source = NpgsqlDataSource.Create(adminConnection);
            using var command = source.CreateCommand($"DROP SCHEMA IF EXISTS {name} CASCADE");
            command.ExecuteNonQuery();
        }
    }

    internal static Schema FreshSchema(string postgres)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        var admin = Bifrost.Storage.DatabaseUrl.Parse(postgres).ConnectionString;
        using (var source = NpgsqlDataSource.Create(admin))
        using (var command = source.CreateCommand($"CREATE SCHEMA {name}"))
        {
            command.ExecuteNonQuery();
        }

        return new Schema($"{postgres}{(postgres.Contains('?') ? '&' : '?')}search_path={name}", name, admin);
    }

    private static double Rate(int count, long firstMs, long lastMs) => count <= 1 || lastMs <= firstMs ? 0 : (count - 1) * 1000.0 / (lastMs - firstMs);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static void InterlockedMin(ref long target, long value)
    {
        long current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
