using System.Collections.Concurrent;
using Bifrost.Messaging;
using Bifrost.Messaging.Worker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bifrost.Tests.Messaging.Worker;

public sealed class KeyLanesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void LaneOf_SameKeySameLane_KeylessRecordsSpreadByPosition()
    {
        var lanes = Enumerable.Range(0, 200).Select(i => LaneHash.LaneOf(FakeConsumer.Record(i % 3, i, "order-42"), 64)).Distinct();
        Assert.Single(lanes);

        var keyless = Enumerable.Range(0, 200).Select(i => LaneHash.LaneOf(FakeConsumer.Record(0, i), 64)).Distinct().Count();
        Assert.True(keyless > 32, $"keyless records used only {keyless} of 64 lanes");
        Assert.True(Enumerable.Range(0, 200).Select(i => LaneHash.LaneOf(FakeConsumer.Record(0, i, "k" + i), 64)).Distinct().Count() > 32);
    }

    [Fact]
    public async Task OneKey_QueuedRecordsRunTogether_AndArePublishedInConsumptionOrder_ThoughFinishedInReverse()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new GatedHandler { Gate = gate.Task };
        var lanes = new KeyLanes<GatedHandler.Outcome>(16, handler, NullLogger.Instance, CancellationToken.None);
        lanes.Enqueue(Item(0, "same-key"));
        var first = await handler.Batches.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        // The lane is busy with record 0: these queue up and are taken as one batch next.
        for (var i = 1; i <= 5; i++)
        {
            lanes.Enqueue(Item(i, "same-key"));
        }

        gate.SetResult();
        first[0].Done.SetResult();
        var second = await handler.Batches.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal([1L, 2, 3, 4, 5], second.Select(o => o.Offset));
        for (var i = second.Count - 1; i >= 0; i--)
        {
            second[i].Done.SetResult();
        }

        await handler.WaitForPublished(6).WaitAsync(Timeout);
        Assert.Equal([0L, 1, 2, 3, 4, 5], handler.Published);
        Assert.True(lanes.Complete(Timeout));
    }

    [Fact]
    public async Task AFailingPublish_IsLogged_AndTheLaneGoesOn()
    {
        var handler = new GatedHandler { FailPublishOf = 1, AutoComplete = true };
        var lanes = new KeyLanes<GatedHandler.Outcome>(1, handler, NullLogger.Instance, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            lanes.Enqueue(Item(i, "k"));
        }

        await handler.WaitForPublished(2).WaitAsync(Timeout);
        lanes.Enqueue(Item(3, "k"));
        await handler.WaitForPublished(3).WaitAsync(Timeout);
        Assert.Equal([0L, 2, 3], handler.Published);
        Assert.True(lanes.Complete(Timeout));
    }

    [Fact]
    public async Task RecordsOfARevokedPartition_AreSkipped()
    {
        var handler = new GatedHandler { AutoComplete = true };
        var lanes = new KeyLanes<GatedHandler.Outcome>(1, handler, NullLogger.Instance, CancellationToken.None);
        var revoked = new OffsetTracker();
        revoked.Add(0);
        revoked.Revoke();
        lanes.Enqueue(new WorkItem(FakeConsumer.Record(0, 0, "k"), revoked));
        lanes.Enqueue(Item(1, "k"));

        await handler.WaitForPublished(1).WaitAsync(Timeout);
        Assert.True(lanes.Complete(Timeout));
        Assert.Equal([1L], handler.Published);
    }

    private static WorkItem Item(long offset, string key)
    {
        var tracker = new OffsetTracker();
        tracker.Add(offset);
        return new WorkItem(FakeConsumer.Record(0, offset, key), tracker);
    }

    /// <summary>A lane handler whose outcomes finish when the test says so, recording the order of publishing.</summary>
    private sealed class GatedHandler : ILaneHandler<GatedHandler.Outcome>
    {
        private readonly ConcurrentQueue<long> _published = new();
        private readonly SemaphoreSlim _publishedSignal = new(0);

        /// <summary>When set, each batch's processing returns only once this completes (the lane stays busy).</summary>
        public Task? Gate { get; set; }

        public bool AutoComplete { get; set; }

        public long FailPublishOf { get; set; } = -1;

        public System.Threading.Channels.Channel<IReadOnlyList<Outcome>> Batches { get; } = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<Outcome>>();

        public long[] Published => [.. _published];

        public async Task WaitForPublished(int count)
        {
            while (_published.Count < count)
            {
                await _publishedSignal.WaitAsync();
            }
        }

        public async Task<IReadOnlyList<Outcome>> ProcessAsync(IReadOnlyList<WorkItem> batch, CancellationToken cancellationToken)
        {
            var outcomes = batch.Select(item => new Outcome(item.Record.Offset.Value)).ToList();
            if (AutoComplete)
            {
                outcomes.ForEach(o => o.Done.SetResult());
            }

            Batches.Writer.TryWrite(outcomes);
            if (Gate is not null)
            {
                await Gate;
            }

            return outcomes;
        }

        public async Task PublishAsync(Outcome outcome, CancellationToken cancellationToken)
        {
            await outcome.Done.Task;
            if (outcome.Offset == FailPublishOf)
            {
                throw new InvalidOperationException("a bug in one record's publishing");
            }

            _published.Enqueue(outcome.Offset);
            _publishedSignal.Release();
        }

        public sealed record Outcome(long Offset)
        {
            public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
