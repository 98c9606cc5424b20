using Confluent.Kafka;

namespace Bifrost.Tests.Dashboard;

/// <summary>Plain Kafka clients for the test side of the conversation (what Heimdall or an operator would run).</summary>
internal static class KafkaTestClients
{
    public static IProducer<string?, string> Producer() =>
        new ProducerBuilder<string?, string>(new ProducerConfig(new Dictionary<string, string>(DashboardHost.OldBrokerProperties))
        {
            BootstrapServers = TestServices.Kafka,
        }).Build();

    /// <summary>An analysis.request message as Heimdall sends it (contract: shared/contract/README.md).</summary>
    public static Message<string?, string> Request(string service, string environment, string log)
    {
        var requestId = Guid.NewGuid().ToString();
        var value = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["request_id"] = requestId,
            ["log_id"] = Random.Shared.NextInt64(1, 1_000_000_000),
            ["log_content"] = log,
            ["service_name"] = service,
            ["environment"] = environment,
            ["correlation_id"] = "corr-" + requestId,
        });
        return new Message<string?, string> { Key = service, Value = value };
    }

    /// <summary>Reads every record of <paramref name="topic"/> from the beginning until <paramref name="until"/> matches one.</summary>
    public static ConsumeResult<string?, string>? ConsumeUntil(string topic, Func<ConsumeResult<string?, string>, bool> until, TimeSpan timeout)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(DashboardHost.OldBrokerProperties))
        {
            BootstrapServers = TestServices.Kafka,
            GroupId = "dashboard-test-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 10000,
        };
        using var consumer = new ConsumerBuilder<string?, string>(config).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(250));
                if (result is not null && !result.IsPartitionEOF && until(result))
                {
                    return result;
                }
            }

            return null;
        }
        finally
        {
            consumer.Close();
        }
    }
}
