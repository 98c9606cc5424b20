using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Bifrost.Configuration;
using Bifrost.Messaging;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bifrost.Tests.Pipeline;

/// <summary>
/// Modern-protocol paths the 0.9 test broker cannot show (record headers, idempotent producer), against
/// librdkafka's mock cluster: one client creates it (test.mock.num.brokers), every other client — including
/// the in-process Bifrost host — connects to its advertised address like to a real broker.
/// </summary>
public sealed class MockClusterTests : IDisposable
{
    private readonly IProducer<byte[], byte[]> _anchor;
    private readonly string _sqlite = Path.Combine(Path.GetTempPath(), $"bifrost-mock-{Guid.NewGuid():N}.db");

    public MockClusterTests()
    {
        var config = new ProducerConfig();
        config.Set("test.mock.num.brokers", "1");
        _anchor = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(_anchor.Handle).Build();
        var broker = admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        Bootstrap = $"{broker.Host}:{broker.Port}";
    }

    private string Bootstrap { get; }

    public void Dispose()
    {
        _anchor.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_sqlite + suffix);
        }
    }

    [Fact]
    public async Task DeadLetters_CarrySpringKafkaHeaders_AndResultsGoThroughTheIdempotentProducer()
    {
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(Bootstrap, "sqlite:" + _sqlite, requestTopic, resultTopic, dlqTopic, broker09: false);
        await KafkaTestClient.ProduceAsync(Bootstrap, requestTopic,
        [
            (Encoding.UTF8.GetBytes("k-poison"), Encoding.UTF8.GetBytes("this is not json {")),
            (Encoding.UTF8.GetBytes("k-ok"), TestRequests.Json("mock-1", 77, "ERROR Connection timeout to database")),
        ], broker09: false);
        using var results = new TopicCollector(Bootstrap, resultTopic, broker09: false);
        using var dead = new TopicCollector(Bootstrap, dlqTopic, broker09: false);
        await using var bifrost = await TestHost.StartAsync(env);

        var kafka = bifrost.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        Assert.True(kafka.DlqHeaders);
        Assert.True(KafkaClientConfig.Producer(kafka).EnableIdempotence);

        var letter = Assert.Single(await dead.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        var h = letter.Message.Headers;
        Assert.Equal("INVALID_JSON", JsonNode.Parse(letter.Message.Value)!["error_code"]!.GetValue<string>());
        Assert.Equal(requestTopic, Encoding.UTF8.GetString(h.GetLastBytes("kafka_dlt-original-topic")));
        Assert.Equal(JsonNode.Parse(letter.Message.Value)!["original_partition"]!.GetValue<int>(), BinaryPrimitives.ReadInt32BigEndian(h.GetLastBytes("kafka_dlt-original-partition")));
        Assert.Equal(JsonNode.Parse(letter.Message.Value)!["original_offset"]!.GetValue<long>(), BinaryPrimitives.ReadInt64BigEndian(h.GetLastBytes("kafka_dlt-original-offset")));
        Assert.Equal("Bifrost.Messaging.InvalidJsonException", Encoding.UTF8.GetString(h.GetLastBytes("kafka_dlt-exception-fqcn")));
        Assert.StartsWith("value is not valid UTF-8 JSON", Encoding.UTF8.GetString(h.GetLastBytes("kafka_dlt-exception-message")));
        Assert.Equal(kafka.GroupId, Encoding.UTF8.GetString(h.GetLastBytes("kafka_dlt-original-consumer-group")));
        Assert.Equal("k-poison", Encoding.UTF8.GetString(letter.Message.Key!));

        var result = Assert.Single(await results.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        Contract.AssertValid("analysis.result.schema.json", result.Message.Value!);
        Assert.Equal("77", Encoding.UTF8.GetString(result.Message.Key!));
    }

    [Fact]
    public async Task WithoutTracing_TheRequestsTraceContextIsForwardedToTheResult()
    {
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(Bootstrap, "sqlite:" + _sqlite, requestTopic, resultTopic, dlqTopic, broker09: false);
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Bootstrap }).Build())
        {
            var headers = new Headers { { "traceparent", Encoding.ASCII.GetBytes($"00-{traceId}-b7ad6b7169203331-01") }, { "tracestate", Encoding.ASCII.GetBytes("heimdall=1") } };
            await producer.ProduceAsync(requestTopic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("k"), Value = TestRequests.Json("trace-2", 79, "ERROR Connection timeout to database"), Headers = headers });
        }

        using var results = new TopicCollector(Bootstrap, resultTopic, broker09: false);
        await using var bifrost = await TestHost.StartAsync(env);

        var result = Assert.Single(await results.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        // Same trace (a listener elsewhere in the test process may add a span of its own: only the trace id is certain).
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", Encoding.ASCII.GetString(result.Message.Headers.GetLastBytes("traceparent")));
    }

    [Fact]
    public async Task Results_CarryTheRequestsTraceContext_InW3CTraceparentHeaders()
    {
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(Bootstrap, "sqlite:" + _sqlite, requestTopic, resultTopic, dlqTopic, broker09: false);
        // Tracing is recorded only with an exporter configured (nothing listens on this port: export fails quietly).
        env["telemetry__otlp_endpoint"] = "http://127.0.0.1:9";
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Bootstrap }).Build())
        {
            var headers = new Headers { { "traceparent", Encoding.ASCII.GetBytes($"00-{traceId}-00f067aa0ba902b7-01") } };
            await producer.ProduceAsync(requestTopic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("k"), Value = TestRequests.Json("trace-1", 78, "ERROR Connection timeout to database"), Headers = headers });
        }

        using var results = new TopicCollector(Bootstrap, resultTopic, broker09: false);
        await using var bifrost = await TestHost.StartAsync(env);

        var result = Assert.Single(await results.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        var traceparent = Encoding.ASCII.GetString(result.Message.Headers.GetLastBytes("traceparent"));
        // Same trace as the request; a new span (ours: the publish span), sampled.
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", traceparent);
        Assert.DoesNotContain("00f067aa0ba902b7", traceparent);
        Contract.AssertValid("analysis.result.schema.json", result.Message.Value!);
    }
}

/// <summary>What the 0.9 test broker does with record headers (it predates them).</summary>
public class OldBrokerHeaderTests
{
    [Fact]
    public async Task DlqHeadersOn_09Broker_RecordStillDelivered_HeadersDropped()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic);
        env["kafka__dlq_headers"] = "true";
        using var dead = new TopicCollector(TestServices.Kafka, dlqTopic);
        await using var bifrost = await TestHost.StartAsync(env);
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, [(null, Encoding.UTF8.GetBytes("[1,2,3]"))]);

        var letter = Assert.Single(await dead.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        Assert.Equal("SCHEMA_VIOLATION", JsonNode.Parse(letter.Message.Value)!["error_code"]!.GetValue<string>());
        // librdkafka writes the 0.9 message format (v0/v1), which has no headers: they are silently left out.
        Assert.True(letter.Message.Headers is null || letter.Message.Headers.Count == 0);
    }
}
