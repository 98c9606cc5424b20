using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Bifrost.Messaging.Worker;

/// <summary>
/// At-least-once bookkeeping over the assigned partitions: one <see cref="OffsetTracker"/> per partition, and the
/// committable position of each stored on the consumer (every <see cref="StoreInterval"/>, and on demand) only when it
/// moved forward; librdkafka auto-commits what was stored, <see cref="Commit"/> commits it at once (rebalance, drain).
/// Called on the consume thread (rebalance callbacks run there too); <see cref="InFlight"/> may be read from any thread.
/// </summary>
public sealed class OffsetCommitter(IConsumerClient consumer, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan StoreInterval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<TopicPartition, OffsetTracker> _trackers = new();
    private readonly Dictionary<TopicPartition, long> _stored = [];
    private long _lastStore = time.GetTimestamp();

    /// <summary>Records consumed but not yet acknowledged, over the partitions currently assigned.</summary>
    public int InFlight
    {
        get
        {
            // Read every loop iteration: enumerating the dictionary takes no locks, where `.Values` locks every
            // bucket and copies the trackers into a list each time.
            var total = 0;
            foreach (var (_, tracker) in _trackers)
            {
                total += tracker.PendingCount;
            }

            return total;
        }
    }

    /// <summary>Registers a consumed record; its offset becomes committable once the tracker is told it is done.</summary>
    public OffsetTracker Track(ConsumeResult<byte[]?, byte[]?> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var tracker = _trackers.GetOrAdd(record.TopicPartition, static _ => new OffsetTracker());
        tracker.Add(record.Offset.Value);
        return tracker;
    }

    /// <summary>A fresh tracker per assignment: whatever the previous owner left is re-read from the committed offset.</summary>
    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        foreach (var partition in partitions)
        {
            _trackers[partition] = new OffsetTracker();
            _stored.Remove(partition);
        }
    }

    /// <summary>Records of <paramref name="partitions"/> not yet acknowledged.</summary>
    public int Pending(IEnumerable<TopicPartition> partitions) =>
        partitions.Sum(p => _trackers.TryGetValue(p, out var tracker) ? tracker.PendingCount : 0);

    /// <summary>Hands <paramref name="partitions"/> back: their queued records are skipped from now on, their state dropped.</summary>
    public void Release(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        foreach (var partition in partitions)
        {
            if (_trackers.TryRemove(partition, out var tracker))
            {
                tracker.Revoke();
            }

            _stored.Remove(partition);
        }
    }

    /// <summary>Stores the committable offsets when <see cref="StoreInterval"/> has passed since the last time.</summary>
    public void StoreIfDue()
    {
        if (time.GetElapsedTime(_lastStore) >= StoreInterval)
        {
            Store();
        }
    }

    /// <summary>Stores the committable offset of every partition (or of <paramref name="only"/>) that moved forward.</summary>
    public void Store(IEnumerable<TopicPartition>? only = null)
    {
        _lastStore = time.GetTimestamp();
        foreach (var (partition, tracker) in _trackers)
        {
            if ((only is null || only.Contains(partition))
                && tracker.Committable is { } next && (!_stored.TryGetValue(partition, out var stored) || next > stored))
            {
                try
                {
                    consumer.StoreOffset(new TopicPartitionOffset(partition, next));
                    _stored[partition] = next;
                }
                catch (KafkaException ex)
                {
                    logger.StoreFailed(partition.Partition.Value, next, ex.Error.Reason);
                }
            }
        }
    }

    /// <summary>Commits what was stored, for every partition or only <paramref name="only"/>, now rather than at the next auto-commit.</summary>
    public void Commit(IEnumerable<TopicPartition>? only = null)
    {
        var offsets = _stored.Where(kv => only is null || only.Contains(kv.Key)).Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)).ToList();
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets);
        }
        catch (KafkaException ex)
        {
            logger.CommitFailed(ex.Error.Code, ex.Error.Reason);
        }
    }
}
