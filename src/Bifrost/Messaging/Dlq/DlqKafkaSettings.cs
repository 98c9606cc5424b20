using Bifrost.Configuration;
using Confluent.Kafka;

namespace Bifrost.Messaging.Dlq;

/// <summary>
/// Client settings for reading the dead-letter topic and re-driving from it, taken from the <c>kafka</c> section
/// (its consumer/producer properties pass through, so the same config works against old and modern brokers).
/// </summary>
public sealed class DlqKafkaSettings(KafkaOptions kafka)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(kafka.BootstrapServers);

    public string Topic => kafka.Topics.Dlq;

    public string RequestTopic => kafka.Topics.Request;

    internal IConsumer<byte[]?, byte[]> BuildConsumer()
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(kafka.Consumer))
        {
            BootstrapServers = kafka.BootstrapServers,
            // Never used to commit: partitions are assigned by hand and offsets are not stored.
            GroupId = kafka.GroupId + "-dlq-reader",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        return new ConsumerBuilder<byte[]?, byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    internal IProducer<byte[]?, byte[]> BuildProducer()
    {
        var config = new ProducerConfig(new Dictionary<string, string>(kafka.Producer)) { BootstrapServers = kafka.BootstrapServers };
        return new ProducerBuilder<byte[]?, byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>The DLQ topic's partitions (the contract says one; auto-created topics on old brokers get more).</summary>
    internal IReadOnlyList<TopicPartition> Partitions(TimeSpan timeout)
    {
        var config = new AdminClientConfig(new Dictionary<string, string>(kafka.Consumer.Where(p => IsCommonProperty(p.Key)).ToDictionary()))
        {
            BootstrapServers = kafka.BootstrapServers,
        };
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var topic = admin.GetMetadata(Topic, timeout).Topics.SingleOrDefault(t => t.Topic == Topic);
        if (topic is null || topic.Error.IsError)
        {
            return [];
        }

        return [.. topic.Partitions.Select(p => new TopicPartition(Topic, p.PartitionId))];
    }

    // Consumer-only properties (group, offsets, fetch) make librdkafka warn or fail for an admin client.
    private static bool IsCommonProperty(string key) =>
        !key.StartsWith("group.", StringComparison.Ordinal) && !key.StartsWith("session.", StringComparison.Ordinal)
        && !key.StartsWith("auto.", StringComparison.Ordinal) && !key.StartsWith("enable.", StringComparison.Ordinal)
        && !key.StartsWith("fetch.", StringComparison.Ordinal) && !key.StartsWith("max.poll", StringComparison.Ordinal)
        && !key.StartsWith("heartbeat.", StringComparison.Ordinal) && !key.StartsWith("partition.assignment", StringComparison.Ordinal)
        && !key.StartsWith("isolation.", StringComparison.Ordinal);
}
