using Confluent.Kafka;

namespace Bifrost.Messaging.Dlq;

/// <summary>
/// The one read loop of the dead-letter topic's readers: partitions assigned by hand (no group, nothing committed),
/// each read from where <c>startOf</c> says up to the high watermark taken when the read starts, so a listing ends
/// even while new records keep arriving.
/// </summary>
internal static class DlqScan
{
    /// <param name="startOf">First offset to read of a partition with records, given its watermarks; null skips it.</param>
    /// <param name="keep">Which records go into the result.</param>
    /// <param name="limit">Stop once this many are kept.</param>
    /// <param name="timeout">Silence allowed from the broker (per watermark query and between records).</param>
    /// <param name="throwOnSilence">True: silence is an error (operator commands); false: return what was read (the dashboard).</param>
    public static List<DlqEnvelope> Read(DlqKafkaSettings settings, Func<IConsumer<byte[]?, byte[]>, TopicPartition, WatermarkOffsets, long?> startOf,
        Func<DlqEnvelope, bool> keep, int limit, TimeSpan timeout, bool throwOnSilence, CancellationToken cancellationToken)
    {
        using var consumer = settings.BuildConsumer();
        var ends = new Dictionary<int, long>();
        var starts = new List<TopicPartitionOffset>();
        foreach (var tp in settings.Partitions(timeout))
        {
            var marks = consumer.QueryWatermarkOffsets(tp, timeout);
            if (marks.High.Value > marks.Low.Value && startOf(consumer, tp, marks) is { } start && start < marks.High.Value)
            {
                ends[tp.Partition.Value] = marks.High.Value;
                starts.Add(new TopicPartitionOffset(tp, Math.Max(marks.Low.Value, start)));
            }
        }

        var records = new List<DlqEnvelope>();
        if (starts.Count == 0)
        {
            return records;
        }

        consumer.Assign(starts);
        var open = new HashSet<int>(ends.Keys);
        var deadline = DateTime.UtcNow + timeout;
        while (open.Count > 0 && records.Count < limit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                if (throwOnSilence)
                {
                    throw new TimeoutException($"{settings.Topic}: no progress from the broker within {timeout.TotalSeconds:0}s");
                }

                break;
            }

            var message = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (message is null)
            {
                continue;
            }

            deadline = DateTime.UtcNow + timeout; // the deadline is for silence, not for a long listing
            var partition = message.Partition.Value;
            if (!message.IsPartitionEOF && message.Offset.Value < ends[partition])
            {
                var record = DlqEnvelope.Parse(partition, message.Offset.Value, message.Message.Value);
                if (keep(record))
                {
                    records.Add(record);
                }
            }

            if (message.IsPartitionEOF || message.Offset.Value + 1 >= ends[partition])
            {
                open.Remove(partition);
            }
        }

        consumer.Close();
        return records;
    }
}
