using Confluent.Kafka;

namespace Bifrost.Messaging.Dlq;

/// <summary>
/// Reads the dead-letter topic without joining or committing for any consumer group: partitions are assigned by
/// hand and read from <c>max(low, high - window)</c> up to the high watermark taken when the read starts, so a
/// listing ends even while new records keep arriving. Used by the dashboard's DLQ view and re-drive.
/// </summary>
public sealed class DlqReader(DlqKafkaSettings settings)
{
    /// <summary>The newest <paramref name="window"/> records of each partition, newest first (by failed_at, then offset).</summary>
    public IReadOnlyList<DlqEnvelope> ReadLatest(int window, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var records = DlqScan.Read(settings, (_, _, marks) => marks.High.Value - window, _ => true, int.MaxValue, timeout, throwOnSilence: false, cancellationToken);
        return [.. records.OrderByDescending(r => r.FailedAt ?? DateTimeOffset.MinValue).ThenByDescending(r => r.Offset)];
    }

    /// <summary>The record at exactly (<paramref name="partition"/>, <paramref name="offset"/>), or null when there is none.</summary>
    public DlqEnvelope? ReadOne(int partition, long offset, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var consumer = settings.BuildConsumer();
        var tp = new TopicPartition(settings.Topic, partition);
        var marks = consumer.QueryWatermarkOffsets(tp, timeout);
        if (offset < marks.Low.Value || offset >= marks.High.Value)
        {
            return null;
        }

        consumer.Assign(new TopicPartitionOffset(tp, offset));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var message = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (message is null || message.IsPartitionEOF)
            {
                continue;
            }

            consumer.Close();
            // Compacted or deleted offsets skip ahead: only the exact record counts.
            return message.Offset.Value == offset ? DlqEnvelope.Parse(partition, offset, message.Message.Value) : null;
        }

        throw new TimeoutException($"No answer from the broker for {settings.Topic}/{partition}@{offset} within {timeout.TotalSeconds:0}s.");
    }
}
