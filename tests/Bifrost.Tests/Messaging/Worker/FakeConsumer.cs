using Bifrost.Messaging.Worker;
using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;

namespace Bifrost.Tests.Messaging.Worker;

/// <summary>
/// Stands in for the broker in the worker parts' unit tests: returns queued records (none of a paused partition), remembers what was paused,
/// stored and committed. An empty poll lets <paramref name="time"/> run on by the poll's timeout, as a real one blocks.
/// </summary>
internal sealed class FakeConsumer(FakeTimeProvider time) : IConsumerClient
{
    public const string Topic = "worker.test";

    public Queue<ConsumeResult<byte[]?, byte[]?>> Records { get; } = new();

    public List<TopicPartition> Assigned { get; } = [new(Topic, 0), new(Topic, 1)];

    public HashSet<TopicPartition> Paused { get; } = [];

    public List<TopicPartitionOffset> Stored { get; } = [];

    public List<List<TopicPartitionOffset>> Commits { get; } = [];

    /// <summary>Makes the next StoreOffset calls fail as librdkafka does for a partition it no longer has.</summary>
    public bool FailStores { get; set; }

    public IReadOnlyList<TopicPartition> Assignment => Assigned;

    public ConsumeResult<byte[]?, byte[]?>? Consume(TimeSpan timeout)
    {
        // Paused partitions return nothing, as librdkafka's do.
        if (Records.TryPeek(out var record) && !Paused.Contains(record.TopicPartition))
        {
            return Records.Dequeue();
        }

        time.Advance(timeout);
        return null;
    }

    public void Pause(IEnumerable<TopicPartition> partitions) => Paused.UnionWith(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => Paused.ExceptWith(partitions);

    public void StoreOffset(TopicPartitionOffset offset)
    {
        if (FailStores)
        {
            throw new KafkaException(ErrorCode.Local_State);
        }

        Stored.Add(offset);
    }

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => Commits.Add([.. offsets]);

    public static ConsumeResult<byte[]?, byte[]?> Record(int partition, long offset, string? key = null) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Topic, partition, offset),
        Message = new Message<byte[]?, byte[]?> { Key = key is null ? null : System.Text.Encoding.UTF8.GetBytes(key), Value = [] },
    };
}

internal static class FakeClock
{
    /// <summary>
    /// Moves <paramref name="time"/> on by <paramref name="step"/> until <paramref name="task"/> ends: for code under test
    /// that sleeps on the fake clock from another thread.
    /// </summary>
    public static async Task RunWhileAdvancing(this FakeTimeProvider time, Task task, TimeSpan step)
    {
        while (!task.IsCompleted)
        {
            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(1));
        }

        await task;
    }
}
