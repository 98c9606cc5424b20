using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bifrost.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Pipeline;

/// <summary>End to end through the real Kafka broker and PostgreSQL, with the `serve` host in-process.</summary>
public class KafkaPipelineTests
{
    [Fact]
    public async Task ContractExamples_EachRequestYieldsOneResult_EachPoisonOneDeadLetter()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("dlq"));
        // The examples name callback_topic "analysis.result" explicitly: use the real default result topic,
        // read from its current end so earlier runs do not count.
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, "analysis.result", dlqTopic);
        var requests = Contract.Examples("request");
        var poisons = Contract.Examples("poison");
        using var results = new TopicCollector(TestServices.Kafka, "analysis.result");
        using var dead = new TopicCollector(TestServices.Kafka, dlqTopic);
        // Other suites may publish the same examples to the shared analysis.result: our ids start at a random
        // point, so our results are told apart by request_id AND bifrost_analysis_id.
        var firstId = Random.Shared.NextInt64(1_000_000, 1_000_000_000_000);
        var migrator = DatabaseUrl.CreateStore(db.Url);
        await migrator.MigrateAsync(default);
        await ((IAsyncDisposable)migrator).DisposeAsync();

        await db.ScalarAsync($"SELECT setval(pg_get_serial_sequence('analyses', 'id'), {firstId})");
        await using var bifrost = await TestHost.StartAsync(env);

        var records = requests.Concat(poisons).Select((e, i) => (Key: i % 2 == 0 ? Encoding.UTF8.GetBytes("key-" + e.Name) : null, e.Bytes, e.Name)).ToList();
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, records.Select(r => (r.Key, r.Bytes)));

        var requestIds = requests.ToDictionary(r => JsonNode.Parse(r.Bytes)!.AsObject() is var o ? (string)(o["request_id"] ?? o["requestId"])! : "", r => r);
        await dead.WaitForAsync(poisons.Count, TimeSpan.FromSeconds(60));
        var ours = await WaitForResultsAsync(results, requestIds.Keys, firstId, TimeSpan.FromSeconds(60));

        // Every request: exactly one result, valid against the schema, echoing the request's ids.
        var store = bifrost.Services.GetRequiredService<IAnalysisStore>();
        foreach (var (requestId, example) in requestIds)
        {
            var result = Assert.Single(ours, r => r.RequestId == requestId);
            Contract.AssertValid("analysis.result.schema.json", result.Value);
            var request = JsonNode.Parse(example.Bytes)!.AsObject();
            Assert.Equal((string)(request["correlation_id"] ?? request["correlationId"])!, result.Json["correlation_id"]!.GetValue<string>());
            var logId = (request["log_id"] ?? request["logId"])!;
            Assert.Equal(logId.GetValueKind() == JsonValueKind.String ? long.Parse(logId.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : logId.GetValue<long>(), result.Json["log_id"]!.GetValue<long>());
            Assert.Equal(result.Json["log_id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(result.Key!));
            var stored = await store.GetByRequestIdAsync(requestId, default);
            Assert.Equal(stored!.Id, result.Json["bifrost_analysis_id"]!.GetValue<long>());
            Assert.Equal(AnalysisStatus.COMPLETED, stored.Status);
        }

        // Every poison: exactly one DLQ record with its error code, the original bytes and the request's key.
        var letters = dead.Records;
        Assert.Equal(poisons.Count, letters.Count);
        foreach (var record in records.Where(r => r.Name.StartsWith("poison", StringComparison.Ordinal)))
        {
            var letter = Assert.Single(letters, l => Matches(l.Message.Value!, record.Bytes));
            Contract.AssertValid("dlq.failed.schema.json", letter.Message.Value!);
            var json = JsonNode.Parse(letter.Message.Value)!;
            Assert.Equal(Contract.ExpectedErrorCode(record.Name), json["error_code"]!.GetValue<string>());
            Assert.Equal(requestTopic, json["original_topic"]!.GetValue<string>());
            Assert.Equal(record.Key, letter.Message.Key);
            Assert.Equal(1, json["attempts"]!.GetValue<int>());
        }

        Assert.Equal(requests.Count, await db.ScalarAsync("SELECT count(*) FROM analyses"));
    }

    [Fact]
    public async Task MixedLoad_2000Requests_1PercentPoison_Gives1980ResultsAnd20DeadLetters()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        using var results = new TopicCollector(TestServices.Kafka, resultTopic);
        using var dead = new TopicCollector(TestServices.Kafka, dlqTopic);
        await using var bifrost = await TestHost.StartAsync(KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic));

        var poisons = Contract.Examples("poison").Where(p => !p.Name.Contains("callback", StringComparison.Ordinal)).ToList();
        var records = Enumerable.Range(0, 2000).Select(i => i % 100 == 57
            ? (Key: (byte[]?)null, Value: poisons[i / 100 % poisons.Count].Bytes)
            : (Key: Encoding.UTF8.GetBytes($"svc-{i % 17}"), Value: TestRequests.Json($"mixed-{i}", i, i % 5 == 0 ? "java.lang.OutOfMemoryError: Java heap space" : $"ERROR Connection timeout to db-{i % 3} after {i} ms"))).ToList();
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, records);

        var published = await results.WaitForAsync(1980, TimeSpan.FromSeconds(90), settle: TimeSpan.FromSeconds(2));
        var letters = await dead.WaitForAsync(20, TimeSpan.FromSeconds(30));
        Assert.Equal(1980, published.Count);
        Assert.Equal(1980, published.Select(r => JsonNode.Parse(r.Message.Value)!["request_id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(20, letters.Count);
        Assert.Equal(1980, await db.ScalarAsync("SELECT count(DISTINCT request_id) FROM analyses WHERE status = 'COMPLETED'"));
    }

    [Fact]
    public async Task SameKey_ResultsLeaveInConsumptionOrder()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        using var results = new TopicCollector(TestServices.Kafka, resultTopic);
        await using var bifrost = await TestHost.StartAsync(KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic));

        // Two hot keys interleaved; each key's results share a log_id, so they land on one result partition where
        // the broker keeps the order they were published in. Contents differ so analyses take different paths.
        var records = Enumerable.Range(0, 600).Select(i => (Key: (byte[]?)Encoding.UTF8.GetBytes(i % 2 == 0 ? "hot-a" : "hot-b"),
            Value: TestRequests.Json($"order-{i % 2}-{i / 2}", 1000 + (i % 2), i % 3 == 0 ? $"ERROR Connection timeout to db-{i} after {i} ms" : "java.lang.OutOfMemoryError: Java heap space"))).ToList();
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, records);

        var published = await results.WaitForAsync(600, TimeSpan.FromSeconds(90), settle: TimeSpan.FromSeconds(1));
        foreach (var key in new[] { 0, 1 })
        {
            var order = published.Select(r => JsonNode.Parse(r.Message.Value)!["request_id"]!.GetValue<string>()).Where(id => id.StartsWith($"order-{key}-", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 300).Select(n => $"order-{key}-{n}"), order);
        }
    }

    private static bool Matches(byte[] letterJson, byte[] original)
    {
        var letter = JsonNode.Parse(letterJson)!;
        if (letter["payload"] is JsonObject payload)
        {
            try
            {
                return JsonNode.DeepEquals(payload, JsonNode.Parse(original));
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return letter["payload_raw"]?.GetValue<string>() == Encoding.UTF8.GetString(original);
    }

    internal sealed record Published(string RequestId, byte[]? Key, byte[] Value, JsonNode Json);

    private static async Task<List<Published>> WaitForResultsAsync(TopicCollector collector, IEnumerable<string> requestIds, long idsAbove, TimeSpan timeout)
    {
        var wanted = requestIds.ToHashSet();
        var deadline = DateTime.UtcNow + timeout;
        List<Published> ours;
        do
        {
            await Task.Delay(200);
            ours = [.. collector.Records.Select(r => (r, json: JsonNode.Parse(r.Message.Value!)!))
                .Where(x => x.json["request_id"] is { } id && wanted.Contains(id.GetValue<string>()) && x.json["bifrost_analysis_id"]?.GetValue<long>() > idsAbove)
                .Select(x => new Published(x.json["request_id"]!.GetValue<string>(), x.r.Message.Key, x.r.Message.Value!, x.json))];
        }
        while (ours.Select(p => p.RequestId).Distinct().Count() < wanted.Count && DateTime.UtcNow < deadline);

        await Task.Delay(1000);
        return [.. collector.Records.Select(r => (r, json: JsonNode.Parse(r.Message.Value!)!))
            .Where(x => x.json["request_id"] is { } id && wanted.Contains(id.GetValue<string>()) && x.json["bifrost_analysis_id"]?.GetValue<long>() > idsAbove)
            .Select(x => new Published(x.json["request_id"]!.GetValue<string>(), x.r.Message.Key, x.r.Message.Value!, x.json))];
    }
}

internal static class TestRequests
{
    public static byte[] Json(string requestId, long logId, string content, string? callbackTopic = null) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["request_id"] = requestId,
            ["log_id"] = logId,
            ["log_content"] = content,
            ["service_name"] = $"svc-{logId % 17}",
            ["environment"] = "prod",
            ["correlation_id"] = "corr-" + requestId,
            ["callback_topic"] = callbackTopic,
        }.Where(kv => kv.Value is not null).ToDictionary());
}
