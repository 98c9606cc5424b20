using Bifrost.Messaging.Worker;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bifrost.Tests.Messaging.Worker;

public sealed class OffsetCommitterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeConsumer _consumer;
    private readonly OffsetCommitter _offsets;

    public OffsetCommitterTests()
    {
        _consumer = new FakeConsumer(_time);
        _offsets = new OffsetCommitter(_consumer, _time, NullLogger.Instance);
    }

    [Fact]
    public void StoresOnlyPastAcknowledgedWork_AndEachPositionOnce()
    {
        var first = _offsets.Track(FakeConsumer.Record(0, 5));
        _offsets.Track(FakeConsumer.Record(0, 6));
        Assert.Equal(2, _offsets.InFlight);

        _offsets.Store();
        Assert.Empty(_consumer.Stored);

        first.Complete(5);
        _offsets.Store();
        _offsets.Store();
        Assert.Equal([new TopicPartitionOffset(FakeConsumer.Topic, 0, 6)], _consumer.Stored);
        Assert.Equal(1, _offsets.InFlight);
    }

    [Fact]
    public void StoreIfDue_StoresAtMostEveryInterval()
    {
        var tracker = _offsets.Track(FakeConsumer.Record(0, 1));
        tracker.Complete(1);
        _time.Advance(OffsetCommitter.StoreInterval);
        _offsets.StoreIfDue();
        Assert.Single(_consumer.Stored);

        tracker.Add(2);
        tracker.Complete(2);
        _time.Advance(OffsetCommitter.StoreInterval / 2);
        _offsets.StoreIfDue();
        Assert.Single(_consumer.Stored);

        _time.Advance(OffsetCommitter.StoreInterval / 2);
        _offsets.StoreIfDue();
        Assert.Equal(3, _consumer.Stored[^1].Offset.Value);
    }

    [Fact]
    public void Commit_OfSomePartitions_CommitsOnlyTheirStoredOffsets()
    {
        _offsets.Track(FakeConsumer.Record(0, 10)).Complete(10);
        _offsets.Track(FakeConsumer.Record(1, 20)).Complete(20);
        _offsets.Store();

        _offsets.Commit([new TopicPartition(FakeConsumer.Topic, 1)]);

        Assert.Equal([new TopicPartitionOffset(FakeConsumer.Topic, 1, 21)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void FailedStore_IsNotRemembered_AndIsTriedAgain()
    {
        _offsets.Track(FakeConsumer.Record(0, 3)).Complete(3);
        _consumer.FailStores = true;
        _offsets.Store();
        Assert.Empty(_consumer.Stored);

        _consumer.FailStores = false;
        _offsets.Store();
        Assert.Equal([new TopicPartitionOffset(FakeConsumer.Topic, 0, 4)], _consumer.Stored);
    }

    [Fact]
    public void Release_RevokesThePartitionsWork_AndAssignStartsAfresh()
    {
        var p0 = new TopicPartition(FakeConsumer.Topic, 0);
        var old = _offsets.Track(FakeConsumer.Record(0, 7));
        _offsets.Track(FakeConsumer.Record(1, 1));

        _offsets.Release([p0]);

        Assert.True(old.Revoked);
        Assert.Equal(1, _offsets.InFlight);
        Assert.Equal(0, _offsets.Pending([p0]));

        // Back again: offsets below the old ones are accepted (a fresh tracker), and nothing stored before counts.
        _offsets.Assign([p0]);
        _offsets.Track(FakeConsumer.Record(0, 2)).Complete(2);
        _offsets.Store([p0]);
        Assert.Equal([new TopicPartitionOffset(p0, 3)], _consumer.Stored);
    }
}
