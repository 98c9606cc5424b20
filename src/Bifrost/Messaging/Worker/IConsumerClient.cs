using Confluent.Kafka;

namespace Bifrost.Messaging.Worker;

/// <summary>
/// The consumer calls the worker's parts make. Confluent's <see cref="IConsumer{TKey, TValue}"/> has dozens; naming
/// these few keeps each part's dependency visible and lets unit tests stand in for the broker.
/// </summary>
public interface IConsumerClient
{
    /// <summary>The next record, or null when none arrived within <paramref name="timeout"/> (rebalance callbacks run inside).</summary>
    ConsumeResult<byte[]?, byte[]?>? Consume(TimeSpan timeout);

    IReadOnlyList<TopicPartition> Assignment { get; }

    void Pause(IEnumerable<TopicPartition> partitions);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Mirrors Confluent.Kafka IConsumer.Resume, which it wraps")]
    void Resume(IEnumerable<TopicPartition> partitions);

    /// <summary>Marks <paramref name="offset"/> as the position to commit (librdkafka's auto-commit sends it).</summary>
    void StoreOffset(TopicPartitionOffset offset);

    void Commit(IEnumerable<TopicPartitionOffset> offsets);
}

/// <summary>The real consumer behind <see cref="IConsumerClient"/>.</summary>
internal sealed class ConfluentConsumerClient(IConsumer<byte[]?, byte[]?> consumer) : IConsumerClient
{
    public ConsumeResult<byte[]?, byte[]?>? Consume(TimeSpan timeout) => consumer.Consume(timeout);

    public IReadOnlyList<TopicPartition> Assignment => consumer.Assignment;

    public void Pause(IEnumerable<TopicPartition> partitions) => consumer.Pause(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => consumer.Resume(partitions);

    public void StoreOffset(TopicPartitionOffset offset) => consumer.StoreOffset(offset);

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => consumer.Commit(offsets);
}
