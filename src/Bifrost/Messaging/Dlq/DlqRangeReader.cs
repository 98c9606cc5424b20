using Confluent.Kafka;

namespace Bifrost.Messaging.Dlq;

/// <summary>Which dead-letter records an operator command selects. Empty sets and null bounds select everything.</summary>
public sealed record DlqFilter(
    IReadOnlySet<string> ErrorCodes,
    IReadOnlySet<string> RequestIds,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null)
{
    public static DlqFilter All { get; } = new(new HashSet<string>(), new HashSet<string>());

    /// <summary>Time bounds apply to <c>failed_at</c>; a record without one is kept (its time is unknown, not outside).</summary>
    public bool Matches(DlqEnvelope record) =>
        (ErrorCodes.Count == 0 || ErrorCodes.Contains(record.ErrorCode))
        && (RequestIds.Count == 0 || (record.RequestId is { } id && RequestIds.Contains(id)))
        && (Since is null || record.FailedAt is null || record.FailedAt >= Since)
        && (Until is null || record.FailedAt is null || record.FailedAt < Until);
}

/// <summary>
/// Reads a range of the dead-letter topic for the CLI (<c>bifrost dlq list|replay</c>): from an offset, or from
/// the first record at or after a time (the broker's offset-for-time index; Kafka 0.9 has none, so there it reads
/// from the beginning and the failed_at filter does the rest), up to the high watermark taken when the read starts.
/// Partitions are assigned by hand and nothing is committed: listing never moves any consumer group.
/// </summary>
public sealed class DlqRangeReader(DlqKafkaSettings settings)
{
    public IReadOnlyList<DlqEnvelope> Read(DlqFilter filter, long? fromOffset, int limit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var records = DlqScan.Read(settings, (consumer, tp, marks) => fromOffset ?? StartForTime(consumer, tp, filter.Since, timeout) ?? marks.Low.Value,
            filter.Matches, limit, timeout, throwOnSilence: true, cancellationToken);
        return [.. records.OrderBy(r => r.FailedAt ?? DateTimeOffset.MinValue).ThenBy(r => r.Partition).ThenBy(r => r.Offset)];
    }

    private static long? StartForTime(IConsumer<byte[]?, byte[]> consumer, TopicPartition tp, DateTimeOffset? since, TimeSpan timeout)
    {
        if (since is null)
        {
            return null;
        }

        try
        {
            var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(tp, new Timestamp(since.Value.UtcDateTime))], timeout).Single();
            // Only a found offset is trusted: "none after that time" is also what a 0.9 broker answers for
            // records that carry no timestamp at all, so then the whole partition is read and filtered.
            return found.Offset.Value >= 0 ? found.Offset.Value : null;
        }
        catch (KafkaException)
        {
            return null; // broker without the ListOffsets v1 time index (Kafka < 0.10.1)
        }
    }
}
