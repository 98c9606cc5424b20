namespace Bifrost.Common;

/// <summary>
/// Exponential backoff shared by every retry loop (storage, analyzer, broker deliveries, start-up migration):
/// <see cref="Initial"/> × 2^(attempt − 1), capped at <see cref="Max"/>.
/// </summary>
public readonly record struct Backoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>The wait before retry number <paramref name="attempt"/> (1 = the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        var seconds = Initial.TotalSeconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, Max.TotalSeconds));
    }
}
