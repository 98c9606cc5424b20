using Confluent.Kafka;

namespace Bifrost.Tests.Operations;

/// <summary>The test broker is Kafka 0.9: clients need these properties (configuration, as in production config files).</summary>
internal static class OldBroker
{
    public static readonly IReadOnlyDictionary<string, string> Properties = new Dictionary<string, string>
    {
        ["api.version.request"] = "false",
        ["broker.version.fallback"] = "0.9.0.1",
    };

    public static string UniqueTopic(string prefix) => $"{prefix}.{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static IProducer<string?, string> Producer() =>
        new ProducerBuilder<string?, string>(new ProducerConfig(new Dictionary<string, string>(Properties)) { BootstrapServers = TestServices.Kafka }).Build();

    /// <summary>Every record of <paramref name="topic"/> up to the current high watermarks (assign, no group commit).</summary>
    public static List<ConsumeResult<string?, string>> ReadAll(string topic, TimeSpan timeout)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(Properties))
        {
            BootstrapServers = TestServices.Kafka,
            GroupId = "ops-test-reader",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        };
        using var admin = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string>(Properties)) { BootstrapServers = TestServices.Kafka }).Build();
        using var consumer = new ConsumerBuilder<string?, string>(config).Build();
        var partitions = admin.GetMetadata(topic, timeout).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, timeout).High.Value);
        var records = new List<ConsumeResult<string?, string>>();
        var open = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        consumer.Assign(partitions.Where(p => open.Contains(p.Partition.Value)).Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var deadline = DateTime.UtcNow + timeout;
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (!result.IsPartitionEOF)
            {
                records.Add(result);
            }

            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ends[result.Partition.Value])
            {
                open.Remove(result.Partition.Value);
            }
        }

        consumer.Close();
        return records;
    }
}
