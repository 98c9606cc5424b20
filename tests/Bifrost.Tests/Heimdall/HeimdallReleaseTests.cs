using System.Text;
using System.Text.Json.Nodes;
using Bifrost.FakeLlm;
using Bifrost.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Heimdall;

/// <summary>
/// Each Heimdall release end to end, as the release itself meets Bifrost: its requests produced by its own producer
/// (Java, Kafka 0.9 client, its compression and keys), Bifrost in-process on the real broker and PostgreSQL, and what
/// Bifrost publishes parsed by the release's own DTOs (the Java emulator).
/// </summary>
public class HeimdallReleaseTests
{
    private static string Example(string name) => Path.Combine(Contract.Directory, "heimdall", name);

    private static JsonObject? Value(JsonNode verdict)
    {
        try
        {
            return JsonNode.Parse((string)verdict["value"]!) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [Fact]
    public async Task ReleaseOne_ItsThreeRequests_GetOneAcceptedResultEach_AndARedeliveryTheSameBytes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("dlq"));
        // Release 1 names callbackTopic "analysis.result": the real default result topic, read from its end.
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, "analysis.result", dlqTopic);
        await using var results = await HeimdallJava.ConsumeAsync(TestServices.Kafka, "analysis.result", "v1", "result");
        using var dead = new TopicCollector(TestServices.Kafka, dlqTopic);
        await using var bifrost = await TestHost.StartAsync(env);
        var examples = HeimdallExamples.Requests("v1");
        var requestIds = examples.Select(e => (string)JsonNode.Parse(e.Bytes)!["requestId"]!).ToHashSet();

        var sent = await HeimdallJava.ProduceAsync(TestServices.Kafka, requestTopic, "v1", examples.Select(e => Example(e.Name)));
        Assert.Equal(["1024", "1025", "1026"], sent.Select(s => (string)s["key"]!).Order());
        List<JsonNode> Ours(IReadOnlyList<JsonNode> records) => [.. records.Where(r => Value(r)?["requestId"] is { } id && requestIds.Contains((string)id!))];
        var first = Ours(await results.WaitForAsync(r => Ours(r).Count >= 3, TimeSpan.FromSeconds(60)));

        Assert.Equal(3, first.Count);
        foreach (var verdict in first)
        {
            Assert.True((bool)verdict["ok"]!, $"release 1 rejected {verdict["value"]}: {verdict["error"]}");
            Assert.Equal((string)Value(verdict)!["logId"]!.ToJsonString(), (string)verdict["key"]!);
        }

        Assert.Equal(requestIds, first.Select(r => (string)Value(r)!["requestId"]!).ToHashSet());
        var store = bifrost.Services.GetRequiredService<IAnalysisStore>();
        var noService = await store.GetByRequestIdAsync("b8e2f4a6-7c9d-4e1f-a3b5-c7d9e1f3a5b7", default);
        Assert.Equal(("unknown", "unknown", "v1"), (noService!.Request.ServiceName, noService.Request.Environment, noService.Request.Dialect));

        // Redelivered (Heimdall's producer retried): the same bytes again, no second analysis.
        await HeimdallJava.ProduceAsync(TestServices.Kafka, requestTopic, "v1", [Example("v1-request-fatal.json")]);
        var all = Ours(await results.WaitForAsync(r => Ours(r).Count >= 4, TimeSpan.FromSeconds(60)));
        var fatal = all.Where(r => (string)Value(r)!["requestId"]! == "0c7e5a91-2b3d-4f6e-8a9b-1c2d3e4f5a6b").ToList();
        Assert.Equal(2, fatal.Count);
        Assert.Equal((string)fatal[0]["value"]!, (string)fatal[1]["value"]!);
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM analyses WHERE dialect = 'v1'"));
        Assert.Empty(dead.Records);
    }

    [Fact]
    public async Task ReleaseTwo_ItsThreeJobs_AreAnswered_OneWhoseRowAppearsFiveSecondsLate_WithTheLocalModel()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var heimdall = await HeimdallDatabase.CreateAsync();
        await using var local = await FakeLlmServer.StartAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic);
        env["HEIMDALL_DATABASE_URL"] = heimdall.Url;
        env["heimdall__log_lookup_timeout_seconds"] = "8";
        env["ai__profiles__local__base_url"] = local.BaseUrl.ToString();
        env["ai__profiles__local__model"] = "qwen2.5:7b";
        await using var results = await HeimdallJava.ConsumeAsync(TestServices.Kafka, resultTopic, "v2", "result");
        await using var dead = await HeimdallJava.ConsumeAsync(TestServices.Kafka, dlqTopic, "v2", "dlq");
        await using var bifrost = await TestHost.StartAsync(env);

        await heimdall.InsertAsync(1024, "2026-01-31 10:15:29.812 ERROR 1 --- [nio-8080-exec-3] o.h.engine.jdbc.spi.SqlExceptionHelper   : HikariPool-1 - Connection is not available, request timed out after 30000ms.", "payment-service", "production");
        await heimdall.InsertAsync(1025, "2026-01-31T10:16:02.004Z FATAL [order-api] 주문 처리 실패\njava.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)", "order-api", "prod", "FATAL");
        var produced = DateTime.UtcNow;
        await HeimdallJava.ProduceAsync(TestServices.Kafka, requestTopic, "v2", HeimdallExamples.Requests("v2").Select(e => Example(e.Name)));
        // Row 77 (the manual job) is committed five seconds after its job was sent.
        await Task.Delay(TimeSpan.FromSeconds(5) - (DateTime.UtcNow - produced) is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
        await heimdall.InsertAsync(77, "ERROR [checkout] payment gateway returned 502 Bad Gateway after 3 retries", null, null);

        var jobs = HeimdallExamples.Requests("v2").Select(e => JsonNode.Parse(e.Bytes)!).ToDictionary(j => (string)j["job_id"]!);
        var answered = await results.WaitForAsync(r => r.Count >= 3, TimeSpan.FromSeconds(60));
        Assert.Equal(3, answered.Count);
        foreach (var verdict in answered)
        {
            Assert.True((bool)verdict["ok"]!, $"release 2 rejected {verdict["value"]}: {verdict["error"]}");
            var result = Value(verdict)!;
            var job = jobs[(string)result["job_id"]!];
            Assert.Equal(((string)job["job_id"]!, "SUCCEEDED"), ((string)verdict["key"]!, (string)result["status"]!));
            Assert.Equal(((string?)job["trace_id"], (long)job["log_id"]!), ((string?)result["trace_id"], (long)result["log_id"]!));
        }

        var manual = Value(answered.Single(r => (string)r["key"]! == "c2a8e4f0-6d1b-4b7e-a3c9-5e2f1d0b9a77"))!;
        Assert.StartsWith("qwen2.5:7b", (string?)manual["model_used"], StringComparison.Ordinal); // the local model (merged with the engine's fields where it gave none)
        Assert.True((int)manual["token_usage"]!["total_tokens"]! > 0);
        Assert.Equal(1, local.CallCount);
        var auto = Value(answered.Single(r => (string)r["key"]! == "5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08"))!;
        Assert.Null(auto["token_usage"]); // the built-in engine: no model ran
        var store = bifrost.Services.GetRequiredService<IAnalysisStore>();
        var stored = await store.GetByRequestIdAsync("p1-b1-real-local-ai-v1", default);
        Assert.Equal(("v2", "unknown", "CRITICAL"), (stored!.Request.Dialect, stored.Request.ServiceName, stored.Request.Priority));
        Assert.Empty(dead.Records);
    }

    [Fact]
    public async Task ReleaseTwo_RepeatsMissingRowsAndBrokenJobs_AreAnsweredTheWayHeimdallReadsThem()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var heimdall = await HeimdallDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic);
        env["HEIMDALL_DATABASE_URL"] = heimdall.Url;
        env["heimdall__log_lookup_timeout_seconds"] = "1";
        await using var results = await HeimdallJava.ConsumeAsync(TestServices.Kafka, resultTopic, "v2", "result");
        await using var dead = await HeimdallJava.ConsumeAsync(TestServices.Kafka, dlqTopic, "v2", "dlq");
        await using var bifrost = await TestHost.StartAsync(env);
        await heimdall.InsertAsync(1024, "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms.", "payment-service", "production");

        var auto = Encoding.UTF8.GetString(File.ReadAllBytes(Example("v2-request-auto.json")));
        const string firstJob = "5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08", repeatJob = "11111111-2222-4333-8444-555555555555", missingJob = "99999999-2222-4333-8444-555555555555";
        var repeat = auto.Replace(firstJob, repeatJob, StringComparison.Ordinal);
        var missing = auto.Replace(firstJob, missingJob, StringComparison.Ordinal).Replace("\"log_id\":1024", "\"log_id\":424242", StringComparison.Ordinal).Replace("auto:", "auto-missing:", StringComparison.Ordinal);
        const string noLogJob = "77777777-2222-4333-8444-555555555555";
        var noLogId = """{"schema_version":1,"job_id":"77777777-2222-4333-8444-555555555555","idempotency_key":"k-broken","tenant_id":null,"priority":"ERROR","timeout_ms":null,"model_policy":null,"trace_id":"t-broken","timestamp":"2026-01-31T10:15:30Z"}""";
        var cutOff = """{"schema_version":1,"job_id":"88888888-2222-4333-8444-555555555555","idempotency_key":"k-cut","log_id":10""";
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic,
        [
            (Encoding.UTF8.GetBytes(firstJob), Encoding.UTF8.GetBytes(auto)),
            (Encoding.UTF8.GetBytes(missingJob), Encoding.UTF8.GetBytes(missing)),
            (Encoding.UTF8.GetBytes(noLogJob), Encoding.UTF8.GetBytes(noLogId)),
            (null, Encoding.UTF8.GetBytes(cutOff)),
        ]);
        var firstAnswers = await results.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(60), settle: TimeSpan.Zero);
        // The same idempotency key under a new job: the stored analysis again, under the new job's id.
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, [(Encoding.UTF8.GetBytes(repeatJob), Encoding.UTF8.GetBytes(repeat))]);
        var answered = await results.WaitForAsync(r => r.Count >= 3, TimeSpan.FromSeconds(60));
        var letters = await dead.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(30));

        Assert.Equal(3, answered.Count);
        Assert.All(answered, v => Assert.True((bool)v["ok"]!, $"release 2 rejected {v["value"]}: {v["error"]}"));
        var byJob = answered.ToDictionary(v => (string)v["key"]!, v => Value(v)!);
        Assert.Equal(("FAILED", "LOG_NOT_FOUND"), ((string?)byJob[missingJob]["status"], (string?)byJob[missingJob]["error_code"]));
        Assert.Equal("SUCCEEDED", (string?)byJob[repeatJob]["status"]);
        Assert.Equal(repeatJob, (string?)byJob[repeatJob]["job_id"]);
        foreach (var field in new[] { "summary", "root_cause", "recommendation", "severity", "confidence", "model_used", "latency_ms", "timestamp" })
        {
            Assert.Equal(byJob[firstJob][field]?.ToJsonString(), byJob[repeatJob][field]?.ToJsonString());
        }

        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM analyses"));

        Assert.Equal(2, letters.Count);
        Assert.All(letters, v => Assert.True((bool)v["ok"]! && (bool)v["job_linked"]!, $"release 2 cannot link {v["value"]}: {v["error"]}"));
        var broken = Value(letters.Single(l => (string)l["key"]! == noLogJob))!;
        Assert.Equal(("SCHEMA_VIOLATION", "k-broken", "t-broken"), ((string?)broken["error_code"], (string?)broken["idempotency_key"], (string?)broken["trace_id"]));
        Assert.IsType<JsonObject>(broken["payload"]);
        var cut = Value(letters.Single(l => (string)l["key"]! == "88888888-2222-4333-8444-555555555555"))!;
        Assert.Equal(("INVALID_JSON", "k-cut"), ((string?)cut["error_code"], (string?)cut["idempotency_key"]));
        Assert.Null(cut["payload"]);
        Assert.True(firstAnswers.Count >= 2);
    }

    [Fact]
    public async Task HeimdallDatabaseDown_JobWaits_OtherRequestsFlow_NothingGoesToTheDlq()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var heimdall = await HeimdallDatabase.CreateAsync();
        await heimdall.ExecuteAsync("ALTER TABLE log_entries RENAME TO log_entries_restoring");
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic);
        env["HEIMDALL_DATABASE_URL"] = heimdall.Url;
        env["heimdall__log_lookup_timeout_seconds"] = "1";
        env["kafka__max_in_flight"] = "4"; // few lanes: the job shares one with guide requests
        using var results = new TopicCollector(TestServices.Kafka, resultTopic);
        using var dead = new TopicCollector(TestServices.Kafka, dlqTopic);
        await using var bifrost = await TestHost.StartAsync(env);

        await HeimdallJava.ProduceAsync(TestServices.Kafka, requestTopic, "v2", [Example("v2-request-auto.json")]);
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic,
            Enumerable.Range(0, 8).Select(i => ((byte[]?)Encoding.UTF8.GetBytes($"k{i}"), Pipeline.TestRequests.Json($"during-outage-{i}", i, "ERROR Connection timeout to db"))));

        var duringOutage = await results.WaitForAsync(8, TimeSpan.FromSeconds(60), settle: TimeSpan.FromSeconds(3));
        Assert.Equal(8, duringOutage.Count); // every guide request answered; the job still waits, well past its 1 s lookup timeout
        Assert.All(duringOutage, r => Assert.NotNull(JsonNode.Parse(r.Message.Value)!["request_id"]));

        await heimdall.ExecuteAsync(
            "INSERT INTO log_entries_restoring (id, event_id, timestamp, source, severity, log_content, log_hash) VALUES (1024, 'e', now(), 't', 'ERROR', 'ERROR HikariPool-1 - Connection is not available', 'h'); " +
            "ALTER TABLE log_entries_restoring RENAME TO log_entries");
        var after = await results.WaitForAsync(9, TimeSpan.FromSeconds(60));
        var job = JsonNode.Parse(Assert.Single(after, r => Encoding.UTF8.GetString(r.Message.Key!) == "5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08").Message.Value)!;
        Assert.Equal("SUCCEEDED", (string?)job["status"]);
        Assert.Empty(dead.Records);
    }
}
