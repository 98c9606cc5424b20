using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Bifrost.Bench;

/// <summary>
/// load — the load generator (docs/benchmarks.md, "Load and scale-out"). Starts `bifrost serve` instance(s) in one
/// consumer group against the real broker and PostgreSQL (or watches one given by --pid), offers N requests at a fixed
/// rate or as fast as possible (excerpts from <see cref="FailureCatalogue"/>, a share of poison, a chosen size),
/// consumes results and DLQ records, and reports throughput, request→result latency p50/p95/p99/max, lost and
/// duplicated results, and each service process's CPU and memory (from /proc/PID/stat and /proc/PID/status).
///   load [--messages 20000] [--rate 0|N] [--instances 1] [--poison-percent 1] [--size 400] [--soak-seconds S]
///   load --sweep [--messages 20000]   raw loop ceiling, max at 1 instance, latency at 25/50/75 %, max at 2 and 3
///   --cpu-limit C   give each `bifrost serve` instance at most C cores (a cgroup v1 CPU quota, like a Kubernetes
///                   CPU limit), so scale-out is measured per instance and not against the broker and database
///                   on the same two cores
///   load --pid PID --request-topic T --result-topic T --dlq-topic T   drive a service started elsewhere
/// Needs BIFROST_TEST_KAFKA and BIFROST_TEST_POSTGRES (scripts/bench-load.sh starts both).
/// </summary>
internal static class LoadBench
{
    public static int Run(string[] args)
    {
        var kafka = Environment.GetEnvironmentVariable("BIFROST_TEST_KAFKA") ?? throw new InvalidOperationException("BIFROST_TEST_KAFKA is not set (use scripts/bench-load.sh)");
        var postgres = Environment.GetEnvironmentVariable("BIFROST_TEST_POSTGRES") ?? throw new InvalidOperationException("BIFROST_TEST_POSTGRES is not set");
        var options = new LoadOptions(
            Messages: Int(args, "--messages", 20_000), Rate: Int(args, "--rate", 0), Instances: Int(args, "--instances", 1),
            PoisonPercent: Int(args, "--poison-percent", 1), Size: Int(args, "--size", 400), SoakSeconds: Int(args, "--soak-seconds", 0),
            Pid: Int(args, "--pid", 0), RequestTopic: Text(args, "--request-topic"), ResultTopic: Text(args, "--result-topic"), DlqTopic: Text(args, "--dlq-topic"),
            CpuLimit: double.Parse(Text(args, "--cpu-limit") ?? "0", CultureInfo.InvariantCulture));
        Console.WriteLine($"cores: {Environment.ProcessorCount}, load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        if (!args.Contains("--sweep"))
        {
            var report = LoadRun.Execute(kafka, postgres, options);
            Console.WriteLine(LoadReport.Header);
            Console.WriteLine(report.Row);
            return report.Lost == 0 ? 0 : 1;
        }

        // One run, one machine state: the raw loop ceiling and every Bifrost figure side by side.
        var raw = E2eThroughput.RawLoop(kafka, 0, options.Messages);
        Console.WriteLine($"raw Confluent.Kafka consume → produce loop: {raw:N0} msgs/s");
        var rows = new List<LoadReport> { LoadRun.Execute(kafka, postgres, options with { Rate = 0, Instances = 1 }) };
        var max = rows[0].Throughput;
        foreach (var share in new[] { 0.25, 0.5, 0.75 })
        {
            var rate = (int)(max * share);
            rows.Add(LoadRun.Execute(kafka, postgres, options with { Rate = rate, Instances = 1, Messages = Math.Max(1_000, rate * 20) }));
        }

        rows.Add(LoadRun.Execute(kafka, postgres, options with { Rate = 0, Instances = 2 }));
        rows.Add(LoadRun.Execute(kafka, postgres, options with { Rate = 0, Instances = 3 }));
        Console.WriteLine();
        Console.WriteLine($"raw loop ceiling (same run, {options.Messages:N0} records): {raw:N0} msgs/s");
        Console.WriteLine(LoadReport.Header);
        rows.ForEach(r => Console.WriteLine(r.Row));
        Console.WriteLine($"scale-out: 2 instances {rows[^2].Throughput / max:0.00}x, 3 instances {rows[^1].Throughput / max:0.00}x of one; 1 instance = {max / raw:P0} of the raw loop");
        return rows.All(r => r.Lost == 0) ? 0 : 1;
    }

    private static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

internal sealed record LoadOptions(int Messages, int Rate, int Instances, int PoisonPercent, int Size, int SoakSeconds, int Pid, string? RequestTopic, string? ResultTopic, string? DlqTopic, double CpuLimit = 0);

internal sealed record LoadReport(LoadOptions Options, int Sent, int Poison, int Answered, int Duplicates, int DeadLetters, double Throughput, double[] Latencies, double CpuPercent, double RssMb, double RssMaxMb)
{
    public int Lost => Sent - Poison - Answered;

    public const string Header = "| instances | offered | sent (poison) | results/s | p50 ms | p95 ms | p99 ms | max ms | lost | duplicates | DLQ | CPU % (per instance, 100 = 1 core) | RSS MB end (max) |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public string Row => string.Create(CultureInfo.InvariantCulture,
        $"| {Options.Instances} | {(Options.Rate == 0 ? "max" : $"{Options.Rate:N0}/s")} | {Sent:N0} ({Poison}) | {Throughput:N0} | {P(0.50):N1} | {P(0.95):N1} | {P(0.99):N1} | {P(1):N1} | {Lost} | {Duplicates} | {DeadLetters} | {CpuPercent:N0} | {RssMb:N0} ({RssMaxMb:N0}) |");

    private double P(double p) => Latencies.Length == 0 ? double.NaN : Latencies[Math.Clamp((int)Math.Ceiling(p * Latencies.Length) - 1, 0, Latencies.Length - 1)];
}

/// <summary>One load run: services up, warm-up, offered load, collection, resource sampling, services down.</summary>
internal static class LoadRun
{
    public static LoadReport Execute(string kafka, string postgres, LoadOptions o)
    {
        var own = o.Pid == 0;
        var topics = own ? (Request: Topic("request"), Result: Topic("result"), Dlq: Topic("dlq"))
            : (Request: o.RequestTopic ?? "analysis.request", Result: o.ResultTopic ?? "analysis.result", Dlq: o.DlqTopic ?? "dlq.failed");
        EnsureTopics(kafka, topics.Request, topics.Result, topics.Dlq);
        using var schema = own ? E2eThroughput.FreshSchema(postgres) : null;
        var group = "load-" + Guid.NewGuid().ToString("N")[..8];
        var services = own ? Enumerable.Range(0, o.Instances).Select(_ => CpuQuota.Apply(StartService(kafka, schema!.Url, group, topics.Request, topics.Result, topics.Dlq), o.CpuLimit)).ToList() : [];
        var pids = own ? services.Select(s => s.Id).ToList() : [o.Pid];
        var prefix = "load-" + Guid.NewGuid().ToString("N")[..8];
        using var results = new ResultCounter(kafka, topics.Result, prefix);
        using var dlq = new ResultCounter(kafka, topics.Dlq, prefix);
        try
        {
            WarmUp(kafka, topics.Request, results, prefix);
            using var sampler = new ResourceSampler(pids);
            var count = o.SoakSeconds > 0 ? o.Rate * o.SoakSeconds : o.Messages;
            var (sent, poison, firstSend) = Offer(kafka, topics.Request, prefix, o, count, results, sampler);
            var expected = sent - poison;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            var lastProgress = (Count: -1, At: DateTime.UtcNow);
            while ((results.Distinct < expected || dlq.Total < poison) && DateTime.UtcNow < deadline && DateTime.UtcNow - lastProgress.At < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(100);
                if (results.Distinct != lastProgress.Count)
                {
                    lastProgress = (results.Distinct, DateTime.UtcNow);
                }
            }

            var usage = sampler.Stop();
            var elapsed = (results.LastTicks - firstSend) / (double)Stopwatch.Frequency;
            var latencies = results.Latencies(ResultCounter.SentTicks).Order().ToArray();
            return new LoadReport(o, sent, poison, results.Distinct, results.Total - results.Distinct, dlq.Total,
                elapsed > 0 ? results.Distinct / elapsed : 0, latencies, usage.CpuPercent, usage.RssMb, usage.RssMaxMb);
        }
        finally
        {
            services.ForEach(Stop);
        }
    }

    private static string Topic(string name) => $"load{Guid.NewGuid().ToString("N")[..8]}.{name}";

    internal static ClientConfig Client(string kafka) => new(new Dictionary<string, string>
    {
        ["bootstrap.servers"] = kafka,
        ["api.version.request"] = "false",
        ["broker.version.fallback"] = "0.9.0.1",
    });

    /// <summary>The 0.9 broker creates topics on the first metadata request: ask until every partition has a leader.</summary>
    private static void EnsureTopics(string kafka, params string[] topics)
    {
        using var admin = new AdminClientBuilder(Client(kafka)).SetLogHandler((_, _) => { }).Build();
        foreach (var topic in topics)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single() is var meta
                && (meta.Error.IsError || meta.Partitions.Count == 0 || meta.Partitions.Any(p => p.Leader < 0)) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Requests until every instance has joined and answered: measurement starts on a settled group.</summary>
    private static void WarmUp(string kafka, string topic, ResultCounter results, string prefix)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig(Client(kafka)) { Acks = Acks.All, LingerMs = 5 }).SetLogHandler((_, _) => { }).Build();
        var random = new Random(1);
        for (var i = 0; i < 60; i++)
        {
            producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"warm{i}"), Value = Request($"warm-{prefix}-{i}", i, FailureCatalogue.Excerpt(random, i, 200)) });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (results.WarmUp < 60 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        Thread.Sleep(2000);
    }

    private static (int Sent, int Poison, long FirstSend) Offer(string kafka, string topic, string prefix, LoadOptions o, int count, ResultCounter results, ResourceSampler sampler)
    {
        ResultCounter.SentTicks = new long[count];
        var random = new Random(42);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig(Client(kafka)) { Acks = Acks.All, LingerMs = o.Rate == 0 ? 20 : 1 }).SetLogHandler((_, _) => { }).Build();
        var poison = 0;
        var start = Stopwatch.GetTimestamp();
        var nextReport = start + Stopwatch.Frequency * 30;
        for (var i = 0; i < count; i++)
        {
            if (o.Rate > 0)
            {
                var due = start + (long)(i * (double)Stopwatch.Frequency / o.Rate);
                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.Sleep(TimeSpan.FromTicks(Math.Max(0, (due - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency) / 2));
                }
            }

            var isPoison = o.PoisonPercent > 0 && random.Next(100) < o.PoisonPercent;
            poison += isPoison ? 1 : 0;
            var value = isPoison
                ? Encoding.UTF8.GetBytes($"{{\"request_id\":\"{prefix}-{i}\",\"log_id\":\"not a number\"}}")
                : Request($"{prefix}-{i}", i, FailureCatalogue.Excerpt(random, random.Next(FailureCatalogue.Count), o.Size));
            ResultCounter.SentTicks[i] = Stopwatch.GetTimestamp();
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"svc-{i % 64}"), Value = value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }

            if (o.SoakSeconds > 0 && Stopwatch.GetTimestamp() >= nextReport)
            {
                nextReport += Stopwatch.Frequency * 30;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak t={Stopwatch.GetElapsedTime(start).TotalSeconds:0}s sent {i + 1:N0} answered {results.Distinct:N0} {sampler.Snapshot()}"));
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        return (count, poison, start);
    }

    internal static byte[] Request(string requestId, long logId, string excerpt) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["request_id"] = requestId,
        ["log_id"] = logId,
        ["log_content"] = excerpt,
        ["service_name"] = $"service-{logId % 13}",
        ["environment"] = logId % 4 == 0 ? "staging" : "production",
        ["correlation_id"] = "corr-" + requestId,
    });

    private static Process StartService(string kafka, string databaseUrl, string group, string request, string result, string dlq)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "bifrost")) { UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in new[] { "serve", "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }

        var env = info.Environment;
        env["KAFKA_BOOTSTRAP_SERVERS"] = kafka;
        env["DATABASE_URL"] = databaseUrl;
        env["LOG_LEVEL"] = "warning";
        env["kafka__group_id"] = group;
        env["kafka__topics__request"] = request;
        env["kafka__topics__result"] = result;
        env["kafka__topics__dlq"] = dlq;
        env["heimdall__callback_topic"] = result;
        env["kafka__dlq_headers"] = "false";
        env["kafka__producer__enable.idempotence"] = "false";
        env["kafka__consumer__session.timeout.ms"] = "6000";
        foreach (var side in new[] { "consumer", "producer" })
        {
            env[$"kafka__{side}__api.version.request"] = "false";
            env[$"kafka__{side}__broker.version.fallback"] = "0.9.0.1";
        }

        return Process.Start(info)!;
    }

    private static void Stop(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}

/// <summary>Consumes a result or DLQ topic and matches records to sends by request_id (run prefix + index).</summary>
internal sealed class ResultCounter : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, long> _firstSeen = new();
    private readonly string _prefix;
    private int _total;
    private int _warm;

    public static long[] SentTicks { get; set; } = [];

    public ResultCounter(string kafka, string topic, string prefix)
    {
        _prefix = prefix + "-";
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(LoadRun.Client(kafka)) { GroupId = "count-" + Guid.NewGuid().ToString("N"), AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false, SessionTimeoutMs = 10000 })
            .SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(topic);
        _thread = new Thread(Run) { IsBackground = true };
        _thread.Start();
    }

    public int Distinct => _firstSeen.Count;

    public int Total => Volatile.Read(ref _total);

    public int WarmUp => Volatile.Read(ref _warm);

    public long LastTicks { get; private set; }

    public IEnumerable<double> Latencies(long[] sent) =>
        _firstSeen.Where(kv => kv.Key < sent.Length).Select(kv => (kv.Value - sent[kv.Key]) * 1000.0 / Stopwatch.Frequency);

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? record;
            try
            {
                record = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException)
            {
                continue;
            }

            if (record?.Message?.Value is not { } value)
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            var id = RequestId(value);
            if (id is null)
            {
                continue;
            }

            if (id.StartsWith("warm-", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _warm);
            }
            else if (id.StartsWith(_prefix, StringComparison.Ordinal) && int.TryParse(id.AsSpan(_prefix.Length), CultureInfo.InvariantCulture, out var index))
            {
                Interlocked.Increment(ref _total);
                if (_firstSeen.TryAdd(index, now))
                {
                    LastTicks = now;
                }
            }
        }
    }

    private static string? RequestId(byte[] value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value);
            return doc.RootElement.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _consumer.Close();
        _consumer.Dispose();
    }
}

/// <summary>CPU (utime+stime from /proc/PID/stat) and resident memory (VmRSS from /proc/PID/status) of the service processes.</summary>
internal sealed class ResourceSampler : IDisposable
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux
    private readonly List<int> _pids;
    private readonly Dictionary<int, long> _startTicks;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Timer _timer;
    private double _rssMax;

    public ResourceSampler(List<int> pids)
    {
        _pids = pids;
        _startTicks = pids.ToDictionary(p => p, CpuTicks);
        _timer = new Timer(_ => _rssMax = Math.Max(_rssMax, _pids.Max(RssMb)), null, 0, 1000);
    }

    public string Snapshot() => string.Create(CultureInfo.InvariantCulture,
        $"RSS MB [{string.Join(", ", _pids.Select(p => RssMb(p).ToString("0", CultureInfo.InvariantCulture)))}] CPU % [{string.Join(", ", _pids.Select(p => Cpu(p).ToString("0", CultureInfo.InvariantCulture)))}]");

    public void Dispose() => _timer.Dispose();

    public (double CpuPercent, double RssMb, double RssMaxMb) Stop()
    {
        _timer.Dispose();
        var rss = _pids.Average(RssMb);
        return (_pids.Average(Cpu), rss, Math.Max(_rssMax, rss));
    }

    private double Cpu(int pid) => (CpuTicks(pid) - _startTicks[pid]) / ClockTicksPerSecond / Stopwatch.GetElapsedTime(_start).TotalSeconds * 100;

    private static long CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime (fields 14, 15)
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static double RssMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
