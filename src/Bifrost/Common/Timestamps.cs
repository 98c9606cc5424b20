namespace Bifrost.Common;

/// <summary>
/// Bifrost's timestamps have millisecond precision: the contract writes milliseconds and a stored row must equal
/// what was published, so times are truncated once, where they are taken.
/// </summary>
public static class Timestamps
{
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    /// <summary>Now, in UTC, to the millisecond.</summary>
    public static DateTimeOffset UtcNowMilliseconds(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return TruncateToMilliseconds(time.GetUtcNow());
    }
}
