using Bifrost.Messaging.Worker;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bifrost.Tests.Messaging.Worker;

public sealed class RebalanceHandlerTests
{
    private static readonly TimeSpan RevokeWait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeConsumer _consumer;
    private readonly OffsetCommitter _offsets;
    private readonly RebalanceHandler _rebalance;
    private readonly TopicPartition _p0 = new(FakeConsumer.Topic, 0);

    public RebalanceHandlerTests()
    {
        _consumer = new FakeConsumer(_time);
        _offsets = new OffsetCommitter(_consumer, _time, NullLogger.Instance);
        _rebalance = new RebalanceHandler(_offsets, _time, RevokeWait, NullLogger.Instance);
    }

    [Fact]
    public void Assigned_AsksOnceForTheAssignmentToBeResumed()
    {
        Assert.False(_rebalance.TakeResumeRequest());

        _rebalance.Assigned([_p0]);

        Assert.True(_rebalance.TakeResumeRequest());
        Assert.False(_rebalance.TakeResumeRequest());
    }

    [Fact]
    public async Task Revoked_WaitsForInFlightWork_ThenCommitsIt()
    {
        _rebalance.Assigned([_p0]);
        var tracker = _offsets.Track(FakeConsumer.Record(0, 40));

        var revoke = Task.Run(() => _rebalance.Revoked([_p0], commit: true));
        _time.Advance(RebalanceHandler.PollInterval);
        Assert.False(revoke.IsCompleted);
        tracker.Complete(40);
        await _time.RunWhileAdvancing(revoke, TimeSpan.FromMilliseconds(500));

        Assert.Equal([new TopicPartitionOffset(_p0, 41)], Assert.Single(_consumer.Commits));
        Assert.True(tracker.Revoked);
        Assert.Equal(0, _offsets.InFlight);
    }

    [Fact]
    public async Task Revoked_GivesUpAfterTheWait_AndCommitsOnlyWhatIsDone()
    {
        _rebalance.Assigned([_p0]);
        var tracker = _offsets.Track(FakeConsumer.Record(0, 1));
        _offsets.Track(FakeConsumer.Record(0, 2));
        tracker.Complete(1);

        var started = _time.GetTimestamp();
        await _time.RunWhileAdvancing(Task.Run(() => _rebalance.Revoked([_p0], commit: true)), TimeSpan.FromMilliseconds(500));

        Assert.True(_time.GetElapsedTime(started) >= RevokeWait);
        Assert.Equal([new TopicPartitionOffset(_p0, 2)], Assert.Single(_consumer.Commits));
        Assert.True(tracker.Revoked);
    }

    [Fact]
    public void Lost_CommitsNothing_AndHandsTheWorkBack()
    {
        _rebalance.Assigned([_p0]);
        var tracker = _offsets.Track(FakeConsumer.Record(0, 9));
        tracker.Complete(9);

        _rebalance.Revoked([_p0], commit: false);

        Assert.Empty(_consumer.Commits);
        Assert.Empty(_consumer.Stored);
        Assert.True(tracker.Revoked);
    }
}
