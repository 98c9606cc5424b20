using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Bifrost.Tests.Pipeline;

/// <summary>The built `bifrost serve` executable as a child process, configured through environment variables only.</summary>
public class ServeProcessTests
{
    [Fact]
    public async Task SigkillMidRun_AndRestart_EveryRequestStoredOnceAndAnswered()
    {
        const int total = 5000;
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic);
        using var results = new TopicCollector(TestServices.Kafka, resultTopic);
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, Enumerable.Range(0, total)
            .Select(i => ((byte[]?)Encoding.UTF8.GetBytes($"k{i % 50}"), TestRequests.Json($"kill-{i}", i, $"ERROR Connection refused to cache-{i % 7}:6379"))));

        // First run, throttled so the kill lands mid-run.
        long storedAtKill;
        string firstOutput;
        using (var first = BifrostProcess.Start(new Dictionary<string, string>(env) { ["kafka__max_in_flight"] = "8" }, "serve", "--urls", "http://127.0.0.1:0"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((storedAtKill = await SafeCountAsync(db)) < 800 && DateTime.UtcNow < deadline && !first.HasExited)
            {
                await Task.Delay(50);
            }

            Assert.False(first.HasExited, first.Output);
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            firstOutput = first.Output;
        }

        Assert.True(storedAtKill is >= 800 and < total, $"killed at {storedAtKill} stored analyses; output:\n{firstOutput}");

        using var second = BifrostProcess.Start(env, "serve", "--urls", "http://127.0.0.1:0");
        var published = await WaitForDistinctAsync(results, total, TimeSpan.FromSeconds(120));
        second.Terminate();
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var byRequest = published.GroupBy(r => JsonNode.Parse(r.Message.Value)!["request_id"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(total, byRequest.Count);
        Assert.All(Enumerable.Range(0, total), i => Assert.True(byRequest.ContainsKey($"kill-{i}"), $"kill-{i} has no result"));
        // A re-published result is the stored one: same bytes (same id, timestamp, duration).
        Assert.All(byRequest.Values.Where(v => v.Count > 1), dups => Assert.All(dups, d => Assert.Equal(dups[0].Message.Value, d.Message.Value)));
        Assert.Equal(total, await db.ScalarAsync("SELECT count(*) FROM analyses"));
        Assert.Equal(total, await db.ScalarAsync("SELECT count(DISTINCT request_id) FROM analyses WHERE status = 'COMPLETED'"));
    }

    [Fact]
    public async Task JsonLogs_CarryTheRequestIdsInScope_AndNoLogContent()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic);
        env["LOG_FORMAT"] = "json";
        env["LOG_LEVEL"] = "info";
        using var dead = new TopicCollector(TestServices.Kafka, dlqTopic);
        using var process = BifrostProcess.Start(env, "serve", "--urls", "http://127.0.0.1:0");
        // A request with a secret in its content and a bad priority: rejected, logged at Warning.
        const string Poison = """{"request_id":"log-1","log_id":31,"log_content":"password=hunter2 ERROR x","service_name":"s","environment":"prod","correlation_id":"corr-log","priority":"URGENT"}""";
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, [(null, Encoding.UTF8.GetBytes(Poison))]);
        Assert.Single(await dead.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        await Task.Delay(500); // the console logger writes asynchronously

        var lines = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        var entries = lines.Select(l => JsonNode.Parse(l)!).ToList(); // every line is one JSON object
        var rejected = entries.Single(j => j["EventId"]!.GetValue<int>() == 2050);
        var scope = rejected["Scopes"]!.AsArray().Select(x => x!.AsObject()).Single(o => o.ContainsKey("request_id"));
        Assert.Equal(("log-1", "corr-log", 31L), (scope["request_id"]!.GetValue<string>(), scope["correlation_id"]!.GetValue<string>(), scope["log_id"]!.GetValue<long>()));
        Assert.DoesNotContain("hunter2", process.Output);
        process.Terminate();
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// SIGTERM while a record is in flight: the host drains for kafka.shutdown_timeout_seconds (here 3 s, the LLM never
    /// answers) and exits 0. System.CommandLine's own signal handler used to end the process 2 s after the signal,
    /// mid-drain, with exit code 143.
    /// </summary>
    [Fact]
    public async Task Sigterm_WhileDraining_WaitsForTheDrain_ExitCode0()
    {
        using var silentLlm = new TcpListener(IPAddress.Loopback, 0);
        silentLlm.Start();
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic);
        env["LOG_LEVEL"] = "info";
        env["kafka__shutdown_timeout_seconds"] = "3";
        env["ai__mode"] = "llm";
        env["ai__base_url"] = $"http://127.0.0.1:{((IPEndPoint)silentLlm.LocalEndpoint).Port}";
        env["ai__timeout"] = "120";
        env["analysis__timeout_seconds"] = "120";
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, [(null, TestRequests.Json("drain-1", 1, "ERROR Connection refused to cache-1:6379"))]);
        using var process = BifrostProcess.Start(env, "serve", "--urls", "http://127.0.0.1:0");

        // The analysis is in flight once the LLM call has connected (and it will never be answered).
        using var accepted = await silentLlm.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(90));
        process.Terminate();

        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Drained; 1 records handed back uncommitted", process.Output);
        Assert.Contains("Consumer closed", process.Output);
    }

    /// <summary>
    /// SIGTERM during start-up (here: while the database is awaited) is a stop, not a failed start: exit 0. It used to
    /// cancel the host's start and end with exit code 1.
    /// </summary>
    [Fact]
    public async Task Sigterm_DuringStartUp_StopsCleanly_ExitCode0()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now: the store is "not reachable yet"
        using var process = BifrostProcess.Start(new Dictionary<string, string> { ["DATABASE_URL"] = $"postgresql://postgres@127.0.0.1:{port}/bifrost", ["LOG_LEVEL"] = "info" }, "serve", "--urls", "http://127.0.0.1:0");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!process.Output.Contains("not reachable", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !process.HasExited)
        {
            await Task.Delay(50);
        }

        Assert.Contains("not reachable", process.Output);
        process.Terminate();
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("Now listening", process.Output);
    }

    [Fact]
    public async Task InvalidConfiguration_OneLineNamingTheKey_ExitCode2()
    {
        using var process = BifrostProcess.Start(new Dictionary<string, string> { ["analysis__retry_attempts"] = "-1" }, "serve");
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("invalid configuration: analysis.retry_attempts must be >= 0 (got -1)", process.Output.Trim());
    }

    [Fact]
    public async Task NoConfiguration_ServesHttpOnEmbeddedSqlite_WithoutKafka()
    {
        var port = FreePort();
        using var process = BifrostProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }, "serve");
        using var http = new HttpClient();
        HttpResponseMessage? response = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (response is null && DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/live"));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(response is { StatusCode: HttpStatusCode.OK }, process.Output);
        Assert.Contains("Storage ready (sqlite", process.Output);
        Assert.DoesNotContain("Consuming", process.Output);
        process.Terminate();
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<long> SafeCountAsync(TestDatabase db)
    {
        try
        {
            return await db.ScalarAsync("SELECT count(*) FROM analyses WHERE status = 'COMPLETED'");
        }
        catch (Npgsql.PostgresException)
        {
            return 0; // table not migrated yet
        }
    }

    private static async Task<IReadOnlyList<Confluent.Kafka.ConsumeResult<byte[]?, byte[]?>>> WaitForDistinctAsync(TopicCollector collector, int distinct, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = new HashSet<string>();
        var read = 0;
        while (DateTime.UtcNow < deadline)
        {
            var records = collector.Records;
            for (; read < records.Count; read++)
            {
                seen.Add(JsonNode.Parse(records[read].Message.Value)!["request_id"]!.GetValue<string>());
            }

            if (seen.Count >= distinct)
            {
                break;
            }

            await Task.Delay(200);
        }

        await Task.Delay(1000);
        return collector.Records;
    }
}
