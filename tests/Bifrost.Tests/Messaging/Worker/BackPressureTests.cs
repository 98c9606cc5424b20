using Bifrost.Messaging.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Bifrost.Tests.Messaging.Worker;

public sealed class BackPressureTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void BelowTheLimit_Fetches()
    {
        var policy = new BackPressure(maxInFlight: 10, _time);

        Assert.Equal(BackPressureAction.Fetch, policy.Next(9));
        Assert.False(policy.Paused);
    }

    [Fact]
    public void AtTheLimit_WaitsASecond_ThenPauses()
    {
        var policy = new BackPressure(10, _time);

        Assert.Equal(BackPressureAction.Wait, policy.Next(10));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(BackPressureAction.Wait, policy.Next(12));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(BackPressureAction.Pause, policy.Next(10));
        Assert.True(policy.Paused);
        Assert.Equal(1, policy.PausesToReport);
    }

    [Fact]
    public void ProgressDuringTheWait_StartsTheSecondAgain()
    {
        var policy = new BackPressure(10, _time);
        Assert.Equal(BackPressureAction.Wait, policy.Next(10));
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal(BackPressureAction.Fetch, policy.Next(9));

        Assert.Equal(BackPressureAction.Wait, policy.Next(10));
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal(BackPressureAction.Wait, policy.Next(10));
    }

    [Fact]
    public void Paused_StaysPausedAboveHalf_ResumesAtHalf()
    {
        var policy = PausedPolicy(10);

        Assert.Equal(BackPressureAction.StayPaused, policy.Next(9));
        Assert.Equal(BackPressureAction.StayPaused, policy.Next(6));
        Assert.Equal(BackPressureAction.Resume, policy.Next(5));
        Assert.False(policy.Paused);
        Assert.Equal(BackPressureAction.Fetch, policy.Next(5));
    }

    [Fact]
    public void RepeatedPauses_AreReportedOnceAMinute_WithTheirCount()
    {
        var policy = PausedPolicy(10);
        Assert.Equal(1, policy.PausesToReport);
        var reported = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(BackPressureAction.Resume, policy.Next(0));
            Assert.Equal(BackPressureAction.Wait, policy.Next(10));
            _time.Advance(TimeSpan.FromSeconds(15));
            Assert.Equal(BackPressureAction.Pause, policy.Next(10));
            reported.Add(policy.PausesToReport);
        }

        // The first pause (1 s) was reported; those at 16, 31 and 46 s are counted silently; the one at 61 s reports all four.
        Assert.Equal([0, 0, 0, 4], reported);
    }

    private BackPressure PausedPolicy(int max)
    {
        var policy = new BackPressure(max, _time);
        policy.Next(max);
        _time.Advance(BackPressure.PauseAfter);
        Assert.Equal(BackPressureAction.Pause, policy.Next(max));
        return policy;
    }
}
