using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bifrost.Commands;
using Bifrost.Messaging.Dlq;
using Confluent.Kafka;

namespace Bifrost.Tests.Operations;

/// <summary>`bifrost dlq list|replay` against the real broker: DLQ-shaped records in, selected originals back on the request topic.</summary>
public class DlqCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private sealed record Fixture(string DlqTopic, string RequestTopic, DlqKafkaSettings Settings);

    private static async Task<Fixture> ProduceDeadLettersAsync()
    {
        var dlq = KafkaTestClient.UniqueTopic("ops.dlq");
        var requests = KafkaTestClient.UniqueTopic("ops.req");
        using var producer = KafkaTestClient.Producer();
        await producer.ProduceAsync(dlq, Record("SCHEMA_VIOLATION", "2026-11-20T10:00:00.000Z", "req-old", "key-a", payload: new JsonObject { ["request_id"] = "req-old", ["log_id"] = "x" }));
        await producer.ProduceAsync(dlq, Record("SCHEMA_VIOLATION", "2026-11-25T10:00:00.000Z", "req-new", "key-b", payload: new JsonObject { ["request_id"] = "req-new", ["log_content"] = 5 }));
        await producer.ProduceAsync(dlq, Record("INVALID_JSON", "2026-11-25T11:00:00.000Z", null, null, raw: "{not json"));
        await producer.ProduceAsync(dlq, Record("ANALYSIS_FAILED", "2026-11-25T12:00:00.000Z", "req-lost", "key-c"));
        var settings = new DlqKafkaSettings(KafkaCli.Options(TestServices.Kafka, KafkaTestClient.Broker09, requestTopic: requests, dlqTopic: dlq));
        return new Fixture(dlq, requests, settings);
    }

    private static Message<string?, string> Record(string errorCode, string failedAt, string? requestId, string? key, JsonObject? payload = null, string? raw = null) => new()
    {
        Key = key,
        Value = new JsonObject
        {
            ["error_code"] = errorCode, ["error_message"] = $"{errorCode} for the test", ["failed_at"] = failedAt, ["attempts"] = 1,
            ["original_topic"] = "analysis.request", ["original_partition"] = 0, ["original_offset"] = 7, ["original_timestamp"] = failedAt,
            ["original_key"] = key, ["consumer_group"] = "bifrost-consumer-group", ["request_id"] = requestId, ["correlation_id"] = null,
            ["log_id"] = null, ["payload"] = payload, ["payload_raw"] = raw,
        }.ToJsonString(),
    };

    private static DlqFilter Codes(params string[] codes) => DlqFilter.All with { ErrorCodes = codes.ToHashSet() };

    [Fact]
    public async Task List_FiltersByErrorCodeAndTime_AsJson()
    {
        var f = await ProduceDeadLettersAsync();
        var output = new StringWriter();

        var code = await DlqCommand.ListAsync(f.Settings, Codes("SCHEMA_VIOLATION") with { Since = DateTimeOffset.Parse("2026-11-24T00:00:00Z", CultureInfo.InvariantCulture) }, null, 100, json: true, Timeout, output, CancellationToken.None);

        Assert.Equal(0, code);
        var listed = JsonNode.Parse(output.ToString())!.AsArray();
        var only = Assert.Single(listed);
        Assert.Equal("req-new", (string?)only!["request_id"]);
        Assert.Equal("SCHEMA_VIOLATION", (string?)only["error_code"]);
        Assert.Equal("2026-11-25T10:00:00.000Z", (string?)only["failed_at"]);
        Assert.Equal(5, (int)only["payload"]!["log_content"]!); // the original object, not a string of it
        Assert.Equal("key-b", (string?)only["original_key"]);
    }

    [Fact]
    public async Task List_Table_ShowsEveryRecordAndDoesNotCommit()
    {
        var f = await ProduceDeadLettersAsync();
        var first = new StringWriter();
        var second = new StringWriter();

        await DlqCommand.ListAsync(f.Settings, DlqFilter.All, null, 100, json: false, Timeout, first, CancellationToken.None);
        await DlqCommand.ListAsync(f.Settings, DlqFilter.All, null, 100, json: false, Timeout, second, CancellationToken.None);

        Assert.Contains("4 record(s)", first.ToString());
        Assert.Contains("INVALID_JSON", first.ToString());
        Assert.Contains("req-lost", first.ToString());
        Assert.Equal(first.ToString(), second.ToString()); // a second listing sees the same: nothing was consumed away
    }

    [Fact]
    public async Task Replay_DryRun_SendsNothing()
    {
        var f = await ProduceDeadLettersAsync();
        var output = new StringWriter();

        var code = await DlqCommand.ReplayAsync(f.Settings, Codes("SCHEMA_VIOLATION"), null, 100, dryRun: true, Timeout, output, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains("dry run: would re-drive 2 record(s)", output.ToString());
        using var admin = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string>(KafkaTestClient.Broker09)) { BootstrapServers = TestServices.Kafka }).Build();
        Assert.DoesNotContain(admin.GetMetadata(Timeout).Topics, t => t.Topic == f.RequestTopic);
    }

    [Fact]
    public async Task Replay_SendsOriginalBytesAndKeysOfSelectedRecords()
    {
        var f = await ProduceDeadLettersAsync();
        var output = new StringWriter();

        var code = await DlqCommand.ReplayAsync(f.Settings, Codes("SCHEMA_VIOLATION", "INVALID_JSON"), null, 100, dryRun: false, Timeout, output, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains("re-drove 3 record(s)", output.ToString());
        var replayed = KafkaTestClient.ReadAll(f.RequestTopic, Timeout).Select(r => (r.Message.Key, r.Message.Value)).OrderBy(r => r.Value, StringComparer.Ordinal).ToList();
        Assert.Equal(3, replayed.Count);
        Assert.Contains((null, "{not json"), replayed);
        Assert.Contains(replayed, r => r.Key == "key-a" && JsonNode.DeepEquals(JsonNode.Parse(r.Value), new JsonObject { ["request_id"] = "req-old", ["log_id"] = "x" }));
        Assert.Contains(replayed, r => r.Key == "key-b" && JsonDocument.Parse(r.Value).RootElement.GetProperty("request_id").GetString() == "req-new");
    }

    [Fact]
    public async Task Replay_ByRequestId_SkipsRecordsWithoutPayload()
    {
        var f = await ProduceDeadLettersAsync();
        var output = new StringWriter();

        var code = await DlqCommand.ReplayAsync(f.Settings, DlqFilter.All with { RequestIds = new HashSet<string> { "req-lost" } }, null, 100, dryRun: false, Timeout, output, CancellationToken.None);

        Assert.Equal(1, code); // the ANALYSIS_FAILED record in this test kept neither payload nor payload_raw
        Assert.Contains("skip", output.ToString());
        Assert.Contains("re-drove 0 record(s)", output.ToString());
    }

    [Fact]
    public async Task List_ReadsTheBrokerFromTheConfigFileServeUses()
    {
        var f = await ProduceDeadLettersAsync();
        // config.test-broker.yaml: bootstrap ${BIFROST_TEST_KAFKA}, the 0.9 client properties under kafka.consumer/producer.
        var kafka = KafkaCli.Resolve(RepoPaths.Of("config.test-broker.yaml"), null, new Dictionary<string, string>());
        kafka.Topics.Dlq = f.DlqTopic;
        var output = new StringWriter();

        var code = await DlqCommand.ListAsync(new DlqKafkaSettings(kafka), Codes("INVALID_JSON"), null, 100, json: false, Timeout, output, CancellationToken.None);

        Assert.Equal(TestServices.Kafka, kafka.BootstrapServers);
        Assert.Equal("false", kafka.Producer["enable.idempotence"]);
        Assert.Equal(0, code);
        Assert.Contains("1 record(s)", output.ToString());
    }
}
