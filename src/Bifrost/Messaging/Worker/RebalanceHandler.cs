using Confluent.Kafka;

namespace Bifrost.Messaging.Worker;

/// <summary>
/// Group rebalances. Assigned partitions start with fresh bookkeeping. Revoked ones get a short time for their
/// in-flight work to be acknowledged, what is done is committed, and the rest is handed back: their queued records
/// are skipped, the new owner reads them again from the committed offset and the idempotent store turns them into
/// re-published results. Lost partitions (the group moved on without us) commit nothing. Runs on the consume thread.
/// </summary>
public sealed class RebalanceHandler(OffsetCommitter offsets, TimeProvider time, TimeSpan revokeWait, ILogger logger)
{
    /// <summary>How often a revocation looks whether the revoked partitions' work is done.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private bool _assignedSinceResume;

    public void Assigned(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        offsets.Assign(partitions);
        // librdkafka keeps a partition's pause flag across lose/re-assign: if the worker paused, lost the partitions
        // (nothing in flight, so it never resumes them) and gets them back, they would stay paused for good.
        _assignedSinceResume = true;
        if (logger.IsEnabled(LogLevel.Information)) logger.Assigned(string.Join(",", partitions.Select(p => p.Partition.Value)));
    }

    /// <summary>True once after an assignment: the consume loop resumes the assignment unless back-pressure holds it paused.</summary>
    public bool TakeResumeRequest()
    {
        var requested = _assignedSinceResume;
        _assignedSinceResume = false;
        return requested;
    }

    /// <param name="commit">False for lost partitions: another member may own them already.</param>
    public void Revoked(IReadOnlyCollection<TopicPartition> partitions, bool commit)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (commit)
        {
            var started = time.GetTimestamp();
            while (offsets.Pending(partitions) > 0 && time.GetElapsedTime(started) < revokeWait)
            {
                time.Sleep(PollInterval);
            }

            offsets.Store(partitions);
            offsets.Commit(partitions);
        }

        offsets.Release(partitions);
        if (logger.IsEnabled(LogLevel.Information)) logger.Revoked(string.Join(",", partitions.Select(p => p.Partition.Value)), commit);
    }
}
