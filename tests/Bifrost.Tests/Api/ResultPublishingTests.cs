using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Bifrost.Tests.Api;

/// <summary>With Kafka on, REST analyses are published to the result topic like Kafka requests' (real broker).</summary>
public sealed class ResultPublishingTests
{
    [Fact]
    public async Task RestAnalysis_IsPublishedToTheCallbackTopic_KeyedByLogId()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var resultTopic = "api-results-" + suffix;
        var compat = new Dictionary<string, string?>
        {
            ["api.version.request"] = "false",
            ["broker.version.fallback"] = "0.9.0.1",
        };
        var config = new Dictionary<string, string?>
        {
            ["kafka:bootstrap_servers"] = TestServices.Kafka,
            ["kafka:topics:request"] = "api-requests-" + suffix,
            ["kafka:group_id"] = "api-test-" + suffix,
            ["heimdall:callback_topic"] = resultTopic,
        };
        foreach (var (k, v) in compat)
        {
            config[$"kafka:consumer:{k}"] = v;
            config[$"kafka:producer:{k}"] = v;
        }

        config["kafka:consumer:session.timeout.ms"] = "10000";
        config["kafka:producer:enable.idempotence"] = "false"; // the 0.9 test broker has no idempotent producer
        await using var host = await TestHost.StartApiAsync(config);
        using var client = host.Client(await host.CreateKeyAsync());
        var requestId = "pub-" + suffix;
        using var response = await client.PostAsync("/api/v1/analysis", new
        {
            log_content = "java.lang.OutOfMemoryError: Java heap space",
            service_name = "pub",
            environment = "prod",
            request_id = requestId,
            log_id = 4242,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var analysisId = (await RestApiTests.Json(response)).GetProperty("analysis_id").GetInt64();

        var consumerConfig = new ConsumerConfig(compat.ToDictionary(kv => kv.Key, kv => kv.Value!))
        {
            BootstrapServers = TestServices.Kafka,
            GroupId = "api-test-reader-" + suffix,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
        consumer.Assign(await PartitionsAsync(resultTopic, compat));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ConsumeResult<string, string>? found = null;
        while (found is null && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (r?.Message is { } m && m.Value.Contains(requestId, StringComparison.Ordinal)) found = r;
        }

        Assert.NotNull(found);
        Assert.Equal("4242", found.Message.Key);
        using var json = JsonDocument.Parse(found.Message.Value);
        Assert.Equal(analysisId, json.RootElement.GetProperty("bifrost_analysis_id").GetInt64());
        Assert.Equal(requestId, json.RootElement.GetProperty("request_id").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("analysis_result").GetProperty("summary").GetString()));
        consumer.Close();

        using var ready = await host.Client().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var kafka = (await RestApiTests.Json(ready)).GetProperty("checks").GetProperty("kafka");
        Assert.Equal("Healthy", kafka.GetProperty("status").GetString());
        Assert.Contains("broker", kafka.GetProperty("description").GetString());
    }

    private static async Task<List<TopicPartitionOffset>> PartitionsAsync(string topic, Dictionary<string, string?> compat)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(compat.ToDictionary(kv => kv.Key, kv => kv.Value!)) { BootstrapServers = TestServices.Kafka }).Build();
        for (var i = 0; i < 60; i++)
        {
            var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.FirstOrDefault(t => t.Topic == topic);
            if (meta is { Error.IsError: false, Partitions.Count: > 0 })
            {
                return [.. meta.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning))];
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"topic {topic} never appeared");
    }
}
