using Confluent.Kafka;

namespace Bifrost.Messaging.Worker;

/// <summary>
/// The consume loop, on the consume thread: each turn asks <see cref="BackPressure"/> what to do, fetches at most one
/// record and hands it to its key's lane (tracked by the <see cref="OffsetCommitter"/> first), and stores the offsets
/// that became committable. On stop it drains: no more fetching, in-flight work gets kafka.shutdown_timeout_seconds
/// to finish, and what is done is committed.
/// </summary>
public sealed class ConsumeLoop(
    IConsumerClient consumer,
    OffsetCommitter offsets,
    IRecordSink lanes,
    BackPressure backPressure,
    RebalanceHandler rebalance,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DrainFetchTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a saturated loop waits before it looks again (lanes finish records meanwhile).</summary>
    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(1);

    /// <summary>Turns until <paramref name="stopping"/> is cancelled, then drains for up to <paramref name="drainTimeout"/>.</summary>
    public void Run(TimeSpan drainTimeout, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Turn();
        }

        Drain(drainTimeout);
    }

    /// <summary>One turn of the loop. Consume errors that are not fatal are logged; fatal ones propagate.</summary>
    public void Turn()
    {
        if (!backPressure.Paused && rebalance.TakeResumeRequest())
        {
            consumer.Resume(consumer.Assignment);
        }

        var inFlight = offsets.InFlight;
        switch (backPressure.Next(inFlight))
        {
            case BackPressureAction.Wait:
                offsets.StoreIfDue();
                time.Sleep(WaitStep);
                return;
            case BackPressureAction.Pause:
                consumer.Pause(consumer.Assignment);
                if (backPressure.PausesToReport > 0)
                {
                    logger.Paused(inFlight, backPressure.PausesToReport);
                }

                break;
            case BackPressureAction.StayPaused:
                // Partitions assigned during a pause start fetching unless paused too.
                consumer.Pause(consumer.Assignment);
                break;
            case BackPressureAction.Resume:
                consumer.Resume(consumer.Assignment);
                logger.Resumed(inFlight);
                break;
        }

        try
        {
            if (consumer.Consume(FetchTimeout) is { Message: not null } record)
            {
                Dispatch(record);
            }
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            logger.ConsumeError(ex.Error.Code, ex.Error.Reason);
        }

        offsets.StoreIfDue();
    }

    /// <summary>SIGTERM: stop fetching, let in-flight work finish (bounded by <paramref name="timeout"/>), commit what is done.</summary>
    public void Drain(TimeSpan timeout)
    {
        var started = time.GetTimestamp();
        logger.Draining(offsets.InFlight, timeout.TotalSeconds);
        while (true)
        {
            consumer.Pause(consumer.Assignment);
            offsets.Store();
            if (offsets.InFlight == 0 || time.GetElapsedTime(started) >= timeout)
            {
                break;
            }

            // Keep serving the group protocol; anything still returned is not dispatched and so not committed.
            consumer.Consume(DrainFetchTimeout);
        }

        offsets.Commit();
        logger.Drained(offsets.InFlight);
    }

    private void Dispatch(ConsumeResult<byte[]?, byte[]?> record)
    {
        var tracker = offsets.Track(record);
        Telemetry.BifrostMetrics.RequestConsumed(record.Topic);
        lanes.Enqueue(new WorkItem(record, tracker));
    }
}
