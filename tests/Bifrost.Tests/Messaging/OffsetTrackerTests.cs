using Bifrost.Messaging;

namespace Bifrost.Tests.Messaging;

public class OffsetTrackerTests
{
    [Fact]
    public void NothingDone_NothingCommittable()
    {
        var t = new OffsetTracker();
        t.Add(10);
        t.Add(11);
        Assert.Null(t.Committable);
        Assert.Equal(2, t.PendingCount);
    }

    [Fact]
    public void OutOfOrderCompletion_CommitsOnlyTheContiguousPrefix()
    {
        var t = new OffsetTracker();
        foreach (var o in new long[] { 5, 6, 7, 8 })
        {
            t.Add(o);
        }

        t.Complete(7);
        t.Complete(6);
        Assert.Null(t.Committable); // 5 is still in flight
        t.Complete(5);
        Assert.Equal(8, t.Committable); // 8 is the next to read after a restart
        t.Complete(8);
        Assert.Equal(9, t.Committable);
        Assert.Equal(0, t.PendingCount);
    }

    [Fact]
    public void GapsInOffsets_AreFine()
    {
        var t = new OffsetTracker();
        t.Add(3);
        t.Add(10);
        t.Complete(10);
        Assert.Null(t.Committable);
        t.Complete(3);
        Assert.Equal(11, t.Committable);
    }

    [Fact]
    public void RepeatedOrUnknownCompletion_IsIgnored()
    {
        var t = new OffsetTracker();
        t.Add(1);
        t.Add(2);
        t.Complete(1);
        t.Complete(1);
        t.Complete(50);
        Assert.Equal(2, t.Committable);
        Assert.Equal(1, t.PendingCount);
    }

    [Fact]
    public void OffsetsMustIncrease() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var t = new OffsetTracker();
            t.Add(5);
            t.Add(5);
        });

    [Fact]
    public void Revoke_IsVisible()
    {
        var t = new OffsetTracker();
        Assert.False(t.Revoked);
        t.Revoke();
        Assert.True(t.Revoked);
    }

    [Fact]
    public void ConcurrentCompletion_EndsAtHighestPlusOne()
    {
        var t = new OffsetTracker();
        for (var i = 0; i < 10_000; i++)
        {
            t.Add(i);
        }

        Parallel.For(0, 10_000, i => t.Complete(9_999 - i));
        Assert.Equal(10_000, t.Committable);
    }
}
