using System.Collections.Concurrent;
using System.Threading.Channels;
using Bifrost.Configuration;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Bifrost.Messaging;

/// <summary>
/// The consume loop: a blocking <c>Consume</c> on its own thread hands each record to one of
/// up to <c>kafka.max_in_flight</c> (at most 1,024) lanes chosen by key hash (so records with the same key are processed in order,
/// different keys concurrently). Offsets are stored only up to the lowest record whose result or DLQ record is
/// not yet acknowledged (<see cref="OffsetTracker"/>); librdkafka auto-commits what was stored. When too much
/// is in flight (e.g. the database is down and lanes wait for it) the partitions are paused, not dropped.
/// </summary>
public sealed partial class KafkaWorker(
    IOptions<KafkaOptions> kafkaOptions,
    MessageHandler handler,
    IHostApplicationLifetime lifetime,
    ILogger<KafkaWorker> logger) : BackgroundService
{
    private readonly KafkaOptions _options = kafkaOptions.Value;
    private readonly ConcurrentDictionary<TopicPartition, OffsetTracker> _trackers = new();
    private readonly Dictionary<TopicPartition, long> _stored = [];
    private Channel<WorkItem>[] _lanes = [];
    private bool _paused;
    private bool _resumeAssigned;
    private long _lastStoreTicks;
    private long _lastPauseLogTicks = -60_000;
    private int _pausesSinceLog;

    /// <summary>Records consumed but not yet acknowledged, over the partitions currently assigned.</summary>
    public int InFlight
    {
        get
        {
            // Read on the consume thread every loop iteration: enumerating the dictionary itself takes no locks,
            // where `.Values` locks every bucket and copies the trackers into a list each time.
            var total = 0;
            foreach (var (_, tracker) in _trackers)
            {
                total += tracker.PendingCount;
            }

            return total;
        }
    }

    private IConsumer<byte[]?, byte[]?>? _consumer;

    /// <summary>The consumer is built here so that a bad librdkafka property stops start-up with a clear message.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _consumer = BuildConsumer();
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        using var hardStop = new CancellationTokenSource();
        // One lane per key-hash bucket; past ~1k lanes more buckets add tasks, not parallelism (a lane already
        // processes everything queued on it at once).
        var laneCount = Math.Clamp(_options.MaxInFlight, 1, MaxLanes);
        _lanes = [.. Enumerable.Range(0, laneCount).Select(_ => Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }))];
        var laneTasks = _lanes.Select(lane => Task.Run(() => RunLaneAsync(lane.Reader, hardStop.Token))).ToArray();
        using var inFlightGauge = Telemetry.BifrostMetrics.RegisterInFlight(() => InFlight);
        var consumer = _consumer ?? BuildConsumer();
        try
        {
            consumer.Subscribe(_options.Topics.Request);
            LogStarted(_options.Topics.Request, _options.GroupId, laneCount);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } record)
                    {
                        Dispatch(record);
                    }
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    LogConsumeError(ex.Error.Code, ex.Error.Reason);
                }

                Housekeeping(consumer, force: false);
            }

            Drain(consumer);
        }
        catch (ConsumeException ex)
        {
            LogFatal(ex.Error.Code, ex.Error.Reason);
            lifetime.StopApplication();
        }
        catch (KafkaException ex)
        {
            LogFatal(ex.Error.Code, ex.Error.Reason);
            lifetime.StopApplication();
        }
        finally
        {
            hardStop.Cancel();
            foreach (var lane in _lanes)
            {
                lane.Writer.TryComplete();
            }

            Task.WaitAll(laneTasks, TimeSpan.FromSeconds(5));
            try
            {
                consumer.Close();
            }
            catch (KafkaException ex)
            {
                LogConsumeError(ex.Error.Code, ex.Error.Reason);
            }

            consumer.Dispose();
            LogStopped();
        }
    }

    /// <summary>SIGTERM: stop fetching, let in-flight work finish (bounded by kafka.shutdown_timeout_seconds), commit what is done.</summary>
    private void Drain(IConsumer<byte[]?, byte[]?> consumer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(_options.ShutdownTimeoutSeconds);
        LogDraining(InFlight, _options.ShutdownTimeoutSeconds);
        PauseAll(consumer);
        while (InFlight > 0 && DateTime.UtcNow < deadline)
        {
            // Keep serving the group protocol; anything still returned is not dispatched and so not committed.
            consumer.Consume(TimeSpan.FromMilliseconds(50));
            Housekeeping(consumer, force: true);
        }

        Housekeeping(consumer, force: true);
        CommitStored(consumer);
        LogDrained(InFlight);
    }

    private void Dispatch(ConsumeResult<byte[]?, byte[]?> record)
    {
        var tracker = _trackers.GetOrAdd(record.TopicPartition, _ => new OffsetTracker());
        tracker.Add(record.Offset.Value);
        Telemetry.BifrostMetrics.RequestConsumed(record.Topic);
        _lanes[LaneOf(record, _lanes.Length)].Writer.TryWrite(new WorkItem(record, tracker));
    }

    /// <summary>Same key → same lane → processed in order. Records without a key are spread by position.</summary>
    internal static int LaneOf(ConsumeResult<byte[]?, byte[]?> record, int lanes)
    {
        uint hash = 2166136261;
        if (record.Message.Key is { } key)
        {
            foreach (var b in key)
            {
                hash = (hash ^ b) * 16777619;
            }
        }
        else
        {
            hash = (uint)HashCode.Combine(record.Partition.Value, record.Offset.Value);
        }

        return (int)(hash % (uint)lanes);
    }

    /// <summary>
    /// One lane: records of the same key, in order. Whatever is queued when the lane looks (up to
    /// <see cref="LaneBatch"/>) is processed concurrently, and each record publishes only after the one before it,
    /// so a hot key is not limited to one database round trip at a time and its results keep their order. With an
    /// instant analyzer the queued records go to the handler as one batch instead (same order, fewer hand-offs).
    /// </summary>
    private async Task RunLaneAsync(ChannelReader<WorkItem> reader, CancellationToken hardStop)
    {
        try
        {
            var batches = handler.HandlesBatches;
            var batch = new List<(ConsumeResult<byte[]?, byte[]?>, OffsetTracker)>(LaneBatch);
            while (await reader.WaitToReadAsync(hardStop).ConfigureAwait(false))
            {
                var previous = Task.CompletedTask;
                batch.Clear();
                for (var taken = 0; taken < LaneBatch && reader.TryRead(out var item); taken++)
                {
                    if (item.Tracker.Revoked)
                    {
                        continue;
                    }

                    if (batches)
                    {
                        batch.Add((item.Record, item.Tracker));
                    }
                    else
                    {
                        previous = handler.HandleAsync(item.Record, item.Tracker, previous, hardStop);
                    }
                }

                if (batch.Count > 0)
                {
                    // Instant analyzer: the lane's records as one unit (one store round trip, one pass of publishing).
                    previous = handler.HandleBatchAsync(batch, hardStop);
                }

                try
                {
                    await previous.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A bug in one record's handling must not end the lane (its key would stall); that
                    // record stays unacknowledged, so its offset is never committed past.
                    LogLaneError(ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
        {
            // Unfinished work is not acknowledged, so its offsets are not committed: it is redelivered.
        }
    }

    /// <summary>
    /// Records a lane takes at once. 256 rather than 64: bigger batches mean fewer store statements and hand-offs
    /// (measured on the e2e bench, paired runs: ~31–32k → ~39–40k requests/s, 22 → 18 µs CPU per request).
    /// </summary>
    private const int LaneBatch = 256;

    private const int MaxLanes = 1024;

    /// <summary>
    /// Back-pressure. A short saturation just waits for the lanes (the records librdkafka prefetched stay
    /// queued); only when nothing moves for a second (e.g. the database is down and every lane waits for it)
    /// are the partitions paused, so the group keeps its members without piling up more work.
    /// </summary>
    private void Housekeeping(IConsumer<byte[]?, byte[]?> consumer, bool force)
    {
        var inFlight = InFlight;
        if (_resumeAssigned && !_paused && !force)
        {
            _resumeAssigned = false;
            consumer.Resume(consumer.Assignment);
        }

        if (inFlight >= _options.MaxInFlight && !_paused && !force)
        {
            var waitUntil = Environment.TickCount64 + 1000;
            while ((inFlight = InFlight) >= _options.MaxInFlight && Environment.TickCount64 < waitUntil)
            {
                Thread.Sleep(1);
                StoreOffsetsEvery(consumer, 100);
            }

            if (inFlight >= _options.MaxInFlight)
            {
                PauseAll(consumer);
                // Under sustained overload this repeats every second or so: one line a minute says it all.
                _pausesSinceLog++;
                if (Environment.TickCount64 - _lastPauseLogTicks >= 60_000)
                {
                    LogPaused(inFlight, _pausesSinceLog);
                    (_pausesSinceLog, _lastPauseLogTicks) = (0, Environment.TickCount64);
                }
            }
        }
        else if (_paused && inFlight <= _options.MaxInFlight / 2 && !force)
        {
            consumer.Resume(consumer.Assignment);
            _paused = false;
            LogResumed(inFlight);
        }
        else if (_paused)
        {
            // Partitions assigned during a pause start fetching unless paused too.
            consumer.Pause(consumer.Assignment);
        }

        StoreOffsetsEvery(consumer, force ? 0 : 100);
    }

    private void StoreOffsetsEvery(IConsumer<byte[]?, byte[]?> consumer, long milliseconds)
    {
        var now = Environment.TickCount64;
        if (now - _lastStoreTicks >= milliseconds)
        {
            _lastStoreTicks = now;
            StoreOffsets(consumer, _trackers);
        }
    }

    private void PauseAll(IConsumer<byte[]?, byte[]?> consumer)
    {
        consumer.Pause(consumer.Assignment);
        _paused = true;
    }

    private void StoreOffsets(IConsumer<byte[]?, byte[]?> consumer, IEnumerable<KeyValuePair<TopicPartition, OffsetTracker>> trackers)
    {
        foreach (var (partition, tracker) in trackers)
        {
            if (tracker.Committable is { } next && (!_stored.TryGetValue(partition, out var stored) || next > stored))
            {
                try
                {
                    consumer.StoreOffset(new TopicPartitionOffset(partition, next));
                    _stored[partition] = next;
                }
                catch (KafkaException ex)
                {
                    LogStoreFailed(partition.Partition.Value, next, ex.Error.Reason);
                }
            }
        }
    }

    private void CommitStored(IConsumer<byte[]?, byte[]?> consumer, IEnumerable<TopicPartition>? only = null)
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
            LogCommitFailed(ex.Error.Code, ex.Error.Reason);
        }
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer() =>
        new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfig.Consumer(_options))
            .SetErrorHandler((_, e) => LogClientError(e.Code, e.Reason, e.IsFatal))
            .SetLogHandler((_, m) => LogClient(m.Facility, m.Message))
            .SetStatisticsHandler((_, json) => Telemetry.BifrostMetrics.ConsumerStatistics(json))
            .SetPartitionsAssignedHandler((c, partitions) =>
            {
                foreach (var p in partitions)
                {
                    // A fresh tracker per assignment: whatever the previous owner left is re-read from the committed offset.
                    _trackers[p] = new OffsetTracker();
                    _stored.Remove(p);
                }

                // librdkafka keeps a partition's pause flag across lose/re-assign; if the worker paused, lost the
                // partitions (flag cleared, nothing in flight) and gets them back, they would stay paused for good.
                _resumeAssigned = true;
                LogAssigned(string.Join(",", partitions.Select(p => p.Partition.Value)));
            })
            .SetPartitionsRevokedHandler((c, partitions) => Revoke(c, [.. partitions.Select(p => p.TopicPartition)], commit: true))
            .SetPartitionsLostHandler((c, partitions) => Revoke(c, [.. partitions.Select(p => p.TopicPartition)], commit: false))
            .Build();

    /// <summary>
    /// Rebalance: give in-flight work on the revoked partitions a short time to be acknowledged, commit what is
    /// done, and hand the rest back (queued records of those partitions are skipped; the new owner reads them
    /// again from the committed offset and the idempotent store turns them into re-published results).
    /// </summary>
    private void Revoke(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions, bool commit)
    {
        var trackers = partitions.Select(p => _trackers.TryGetValue(p, out var t) ? new KeyValuePair<TopicPartition, OffsetTracker>(p, t) : default)
            .Where(kv => kv.Value is not null).ToList();
        if (commit)
        {
            var deadline = DateTime.UtcNow.AddSeconds(Math.Min(_options.ShutdownTimeoutSeconds, 10));
            while (trackers.Any(kv => kv.Value.PendingCount > 0) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }

            StoreOffsets(consumer, trackers);
            CommitStored(consumer, partitions);
        }

        foreach (var (partition, tracker) in trackers)
        {
            tracker.Revoke();
            _trackers.TryRemove(partition, out _);
            _stored.Remove(partition);
        }

        LogRevoked(string.Join(",", partitions.Select(p => p.Partition.Value)), commit);
    }

    internal sealed record WorkItem(ConsumeResult<byte[]?, byte[]?> Record, OffsetTracker Tracker);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Consuming {Topic} as group {GroupId} with {Lanes} lanes")]
    private partial void LogStarted(string topic, string groupId, int lanes);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Partitions assigned: {Partitions}")]
    private partial void LogAssigned(string partitions);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Partitions revoked: {Partitions} (committed: {Committed})")]
    private partial void LogRevoked(string partitions, bool committed);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "{InFlight} records in flight, at kafka.max_in_flight for 1 s: pausing consumption (pauses in the last minute: {Pauses})")]
    private partial void LogPaused(int inFlight, int pauses);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "{InFlight} records in flight: resuming consumption")]
    private partial void LogResumed(int inFlight);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Stopping: draining {InFlight} in-flight records (up to {TimeoutSeconds}s)")]
    private partial void LogDraining(int inFlight, double timeoutSeconds);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Drained; {InFlight} records handed back uncommitted")]
    private partial void LogDrained(int inFlight);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Consumer closed")]
    private partial void LogStopped();

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Consume error: {Code} {Reason}")]
    private partial void LogConsumeError(ErrorCode code, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Critical, Message = "Fatal consumer error, stopping: {Code} {Reason}")]
    private partial void LogFatal(ErrorCode code, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Storing offset {Offset} for partition {Partition} failed: {Reason}")]
    private partial void LogStoreFailed(int partition, long offset, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Commit failed: {Code} {Reason}")]
    private partial void LogCommitFailed(ErrorCode code, string reason);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Kafka client error: {Code} {Reason} (fatal: {Fatal})")]
    private partial void LogClientError(ErrorCode code, string reason, bool fatal);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Error, Message = "Unexpected error in a worker lane: {ErrorType}: {Error}")]
    private partial void LogLaneError(string errorType, string error);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Debug, Message = "librdkafka consumer {Facility}: {Message}")]
    private partial void LogClient(string facility, string message);
}
