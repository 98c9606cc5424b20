namespace Bifrost.Messaging.Worker;

/// <summary>What the consume loop does next about fetching, given how much is in flight.</summary>
public enum BackPressureAction
{
    /// <summary>Room in flight: fetch the next record.</summary>
    Fetch,

    /// <summary>At <c>kafka.max_in_flight</c> for less than <see cref="BackPressure.PauseAfter"/>: fetch nothing, wait for the lanes.</summary>
    Wait,

    /// <summary>Saturated for <see cref="BackPressure.PauseAfter"/>: pause every assigned partition (the group keeps its members).</summary>
    Pause,

    /// <summary>Still paused: keep partitions paused, including any assigned meanwhile.</summary>
    StayPaused,

    /// <summary>Paused and down to half of <c>kafka.max_in_flight</c>: resume fetching.</summary>
    Resume,
}

/// <summary>
/// Back-pressure as a pure policy (no I/O; time from the <see cref="TimeProvider"/>). A short saturation just waits for
/// the lanes (the records librdkafka prefetched stay queued); only when nothing moves for <see cref="PauseAfter"/>
/// (e.g. the database is down and every lane waits for it) are the partitions paused, and they resume at half the
/// limit, so consumption does not flap at the edge. Used by the consume thread only (not thread-safe).
/// </summary>
public sealed class BackPressure(int maxInFlight, TimeProvider time)
{
    public static readonly TimeSpan PauseAfter = TimeSpan.FromSeconds(1);

    /// <summary>Under sustained overload a pause repeats every second or so: one report a minute says it all.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);

    private long? _saturatedSince;
    private long? _lastReport;
    private int _pausesSinceReport;

    public bool Paused { get; private set; }

    /// <summary>After <see cref="BackPressureAction.Pause"/>: the pauses to report now (this one included), or 0 when the last report is recent.</summary>
    public int PausesToReport { get; private set; }

    public BackPressureAction Next(int inFlight)
    {
        PausesToReport = 0;
        if (Paused)
        {
            if (inFlight <= maxInFlight / 2)
            {
                Paused = false;
                return BackPressureAction.Resume;
            }

            return BackPressureAction.StayPaused;
        }

        if (inFlight < maxInFlight)
        {
            _saturatedSince = null;
            return BackPressureAction.Fetch;
        }

        var now = time.GetTimestamp();
        _saturatedSince ??= now;
        if (time.GetElapsedTime(_saturatedSince.Value, now) < PauseAfter)
        {
            return BackPressureAction.Wait;
        }

        Paused = true;
        _saturatedSince = null;
        _pausesSinceReport++;
        if (_lastReport is not { } last || time.GetElapsedTime(last, now) >= ReportEvery)
        {
            (PausesToReport, _pausesSinceReport, _lastReport) = (_pausesSinceReport, 0, now);
        }

        return BackPressureAction.Pause;
    }
}
