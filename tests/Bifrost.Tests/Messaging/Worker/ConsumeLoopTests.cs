using Bifrost.Messaging.Worker;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bifrost.Tests.Messaging.Worker;

public sealed class ConsumeLoopTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeConsumer _consumer;
    private readonly OffsetCommitter _offsets;
    private readonly RebalanceHandler _rebalance;
    private readonly ListQueue _lanes = new();

    public ConsumeLoopTests()
    {
        _consumer = new FakeConsumer(_time);
        _offsets = new OffsetCommitter(_consumer, _time, NullLogger.Instance);
        _rebalance = new RebalanceHandler(_offsets, _time, TimeSpan.FromSeconds(1), NullLogger.Instance);
    }

    [Fact]
    public void Turn_HandsARecordToTheLanes_AndStoresItsOffsetOnceAcknowledged()
    {
        var loop = Loop(maxInFlight: 10);
        _consumer.Records.Enqueue(FakeConsumer.Record(1, 7, "k"));

        loop.Turn();

        var item = Assert.Single(_lanes.Items);
        Assert.Equal(7, item.Record.Offset.Value);
        Assert.Equal(1, _offsets.InFlight);

        item.Tracker.Complete(7);
        _time.Advance(OffsetCommitter.StoreInterval);
        loop.Turn();
        Assert.Equal([new TopicPartitionOffset(FakeConsumer.Topic, 1, 8)], _consumer.Stored);
    }

    [Fact]
    public async Task SustainedSaturation_PausesTheAssignment_AndHalfwayDownResumesIt()
    {
        var loop = Loop(maxInFlight: 2);
        _consumer.Records.Enqueue(FakeConsumer.Record(0, 0));
        _consumer.Records.Enqueue(FakeConsumer.Record(0, 1));
        _consumer.Records.Enqueue(FakeConsumer.Record(0, 2));
        loop.Turn();
        loop.Turn();

        // At the limit: the loop waits (fetching nothing) until a second has passed, then pauses.
        await _time.RunWhileAdvancing(Task.Run(loop.Turn), TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, _lanes.Items.Count);
        _time.Advance(BackPressure.PauseAfter);
        loop.Turn();
        Assert.True(_consumer.Paused.SetEquals(_consumer.Assigned));

        _lanes.Items[0].Tracker.Complete(0);
        loop.Turn();
        Assert.Empty(_consumer.Paused);
        Assert.Equal(3, _lanes.Items.Count);
    }

    [Fact]
    public void PartitionsAssigned_AreResumed_UnlessBackPressureHoldsThemPaused()
    {
        var loop = Loop(maxInFlight: 10);
        _consumer.Paused.Add(_consumer.Assigned[0]); // a pause flag librdkafka kept across a lost assignment
        _rebalance.Assigned(_consumer.Assigned);

        loop.Turn();

        Assert.Empty(_consumer.Paused);
    }

    [Fact]
    public void Drain_CommitsWhatIsDone_AndHandsBackWhatIsNot()
    {
        var loop = Loop(maxInFlight: 10);
        _consumer.Records.Enqueue(FakeConsumer.Record(0, 0));
        _consumer.Records.Enqueue(FakeConsumer.Record(0, 1));
        loop.Turn();
        loop.Turn();
        _lanes.Items[0].Tracker.Complete(0);
        var started = _time.GetTimestamp();

        loop.Drain(TimeSpan.FromSeconds(3));

        Assert.True(_time.GetElapsedTime(started) >= TimeSpan.FromSeconds(3)); // waited for record 1 until the timeout
        Assert.True(_consumer.Paused.SetEquals(_consumer.Assigned));
        Assert.Equal([new TopicPartitionOffset(FakeConsumer.Topic, 0, 1)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void Drain_EndsAsSoonAsNothingIsInFlight()
    {
        var loop = Loop(maxInFlight: 10);
        _consumer.Records.Enqueue(FakeConsumer.Record(1, 5));
        loop.Turn();
        _lanes.Items[0].Tracker.Complete(5);
        var started = _time.GetTimestamp();

        loop.Drain(TimeSpan.FromSeconds(20));

        Assert.Equal(TimeSpan.Zero, _time.GetElapsedTime(started));
        Assert.Equal([new TopicPartitionOffset(FakeConsumer.Topic, 1, 6)], Assert.Single(_consumer.Commits));
    }

    private ConsumeLoop Loop(int maxInFlight) =>
        new(_consumer, _offsets, _lanes, new BackPressure(maxInFlight, _time), _rebalance, _time, NullLogger.Instance);

    private sealed class ListQueue : IRecordSink
    {
        public List<WorkItem> Items { get; } = [];

        public void Enqueue(WorkItem item) => Items.Add(item);
    }
}
