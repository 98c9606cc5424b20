using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bifrost.Api.Keys;
using Bifrost.Tests.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Knowledge;

/// <summary>
/// Issue 16's done-when, end to end: the real `serve` host consuming from the real Kafka broker, storing in PostgreSQL
/// or SQLite. A correction made over REST changes the category and severity of the next Kafka request with the same
/// fingerprint and its published result; a resolution note appears in the next answer; withdrawing the correction
/// restores the engine's answer; a runbook added over REST is cited in the next answer.
/// </summary>
public class KnowledgeKafkaTests
{
    private const string Log = """
        2026-03-10 04:17:22.913 ERROR 1 --- [nio-8080-exec-3] c.a.o.InventoryClient : call to inventory-svc:9090 failed
        io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 4.999s
        """;

    private const string Runbook = """
        # Service calls
        ## gRPC deadlines exceeded
        Symptoms: `io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 5s` from inventory-svc.
        Check the inventory-svc p99 latency dashboard before raising the client deadline.
        """;

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    public async Task CorrectionNoteWithdrawalAndRunbook_ChangeTheNextKafkaAnswer(string provider)
    {
        await using var db = provider == "postgresql" ? await TestDatabase.CreateAsync() : null;
        var sqlite = Path.Combine(Path.GetTempPath(), $"bifrost-knowledge-kafka-{Guid.NewGuid():N}.db");
        var topics = TestTopics.New();
        using var producer = KafkaTestClient.Producer();
        // Produced before the host starts: the old broker creates the topic now, so the worker finds it when it subscribes.
        await producer.ProduceAsync(topics.Request, KafkaTestClient.Request("warmup", "dev", "INFO warming up"));
        using var results = new TopicCollector(TestServices.Kafka, topics.Result);
        // A refresh period far beyond the test: what this instance changes must apply at once, without the poll.
        await using var host = await TestHost.StartPipelineAsync(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = db?.Url ?? "sqlite:" + sqlite,
            ["api:auth"] = "required",
            ["knowledge:refresh_seconds"] = "3600",
        }, topics);
        try
        {
            var keys = host.Services.GetRequiredService<ApiKeyStore>();
            var (_, key) = await keys.CreateAsync("oncall-b", ApiKeyScopes.Write, DateTimeOffset.UtcNow, default);
            using var http = DashboardApi.Client(host, key);
            var service = "orders-" + topics.Suffix;

            // 1. The engine's own answer.
            var first = await ProduceAndWaitAsync(producer, results, topics, service);
            var engine = await StoredAsync(http, first);
            var (engineCategory, engineSeverity) = (Category(engine), Severity(first));
            Assert.Equal("builtin", engine.GetProperty("engine").GetString());
            Assert.StartsWith("bifrost-builtin/", Model(first), StringComparison.Ordinal);
            var (corrected, correctedSeverity) = (engineCategory == "network.timeout" ? "http.upstream_error" : "network.timeout", engineSeverity == "CRITICAL" ? "LOW" : "CRITICAL");

            // 2. A correction over REST: the next Kafka request with the same fingerprint is answered with it, and says so.
            var correction = await PostAsync(http, $"/api/v1/analyses/{Id(first)}/feedback", new { category = corrected, severity = correctedSeverity });
            Assert.Equal("oncall-b", correction.GetProperty("author").GetString());
            var second = await ProduceAndWaitAsync(producer, results, topics, service);
            var stored = await StoredAsync(http, second);
            Assert.Equal(Fingerprint(engine), Fingerprint(stored));
            Assert.Equal(corrected, Category(stored));
            Assert.Equal(correctedSeverity, Severity(second));
            Assert.Equal(Model(first) + "+feedback", Model(second));
            Assert.Equal("builtin+feedback", stored.GetProperty("engine").GetString());
            Assert.Contains($"Team correction: category {corrected}, severity {correctedSeverity} (the engine said {engineCategory}, {engineSeverity}), by oncall-b, just now.",
                Result(second)["summary"]!.GetValue<string>(), StringComparison.Ordinal);

            // 3. A resolution note: the next answer ends with it.
            await PostAsync(http, $"/api/v1/analyses/{Id(second)}/feedback", new { note = "fixed by raising the inventory-svc deadline budget, see INC-4411" });
            var third = await ProduceAndWaitAsync(producer, results, topics, service);
            Assert.EndsWith("\nLast time: fixed by raising the inventory-svc deadline budget, see INC-4411, just now, by oncall-b.", Result(third)["recommendation"]!.GetValue<string>(), StringComparison.Ordinal);

            // 4. Withdrawn: the engine's category and severity are back (the note, a separate entry, stays).
            await PostAsync(http, $"/api/v1/feedback/{correction.GetProperty("id").GetInt64()}/withdraw", new { });
            var fourth = await ProduceAndWaitAsync(producer, results, topics, service);
            Assert.Equal((engineCategory, engineSeverity, Model(first)), (Category(await StoredAsync(http, fourth)), Severity(fourth), Model(fourth)));
            Assert.DoesNotContain("Team correction", Result(fourth)["summary"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("Last time: fixed by raising", Result(fourth)["recommendation"]!.GetValue<string>(), StringComparison.Ordinal);

            // 5. A runbook over REST: the next answer names its section, and the analysis keeps the citation.
            var added = await PostAsync(http, "/api/v1/runbooks", new { source = "runbooks/service-calls.md", markdown = Runbook });
            Assert.Equal(engineCategory, added.GetProperty("sections")[0].GetProperty("category").GetString());
            var fifth = await ProduceAndWaitAsync(producer, results, topics, service);
            Assert.Contains("\nTeam runbook: “gRPC deadlines exceeded” (runbooks/service-calls.md#grpc-deadlines-exceeded).", Result(fifth)["recommendation"]!.GetValue<string>(), StringComparison.Ordinal);
            var citation = (await http.GetFromJsonAsync<JsonElement>($"/api/v1/analyses/{Id(fifth)}/citations")).GetProperty("items")[0];
            Assert.Equal(("gRPC deadlines exceeded", "runbooks/service-calls.md"), (citation.GetProperty("title").GetString(), citation.GetProperty("source").GetString()));
            Assert.InRange(citation.GetProperty("score").GetDouble(), 0.58, 1);
            Assert.Contains("DEADLINE_EXCEEDED", citation.GetProperty("quote").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(sqlite + suffix);
        }
    }

    private static async Task<JsonObject> ProduceAndWaitAsync(Confluent.Kafka.IProducer<string?, string> producer, TopicCollector results, TestTopics topics, string service)
    {
        var message = KafkaTestClient.Request(service, "prod", Log);
        var requestId = JsonNode.Parse(message.Value)!["request_id"]!.GetValue<string>();
        await producer.ProduceAsync(topics.Request, message);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var record in results.Records)
            {
                var json = JsonNode.Parse(record.Message.Value)!.AsObject();
                if (json["request_id"]?.GetValue<string>() == requestId)
                {
                    return json;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no result for {requestId} on {topics.Result}");
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<JsonElement> StoredAsync(HttpClient http, JsonObject published) => http.GetFromJsonAsync<JsonElement>($"/api/v1/analysis/result/{Id(published)}");

    private static long Id(JsonObject published) => published["bifrost_analysis_id"]!.GetValue<long>();

    private static JsonObject Result(JsonObject published) => published["analysis_result"]!.AsObject();

    private static string Severity(JsonObject published) => Result(published)["severity"]!.GetValue<string>();

    private static string Model(JsonObject published) => published["model"]!.GetValue<string>();

    private static string Category(JsonElement stored) => stored.GetProperty("result").GetProperty("category").GetString()!;

    private static string Fingerprint(JsonElement stored) => stored.GetProperty("result").GetProperty("fingerprint").GetString()!;
}
