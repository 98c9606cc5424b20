namespace Bifrost.Heimdall;

/// <summary>
/// Heimdall's column limits (shared/contract/heimdall/README.md): a longer or more precise value fails its insert and
/// the result is lost, so what Bifrost writes is shaped to fit — text clipped, numbers rounded to the column's scale.
/// </summary>
public static class HeimdallLimits
{
    public const int Model = 100;
    public const int Severity = 20;
    public const int ErrorCode = 100;

    /// <summary>error_message has no stated limit; a page of text is plenty and keeps one bad record small.</summary>
    public const int ErrorMessage = 2000;

    /// <summary>At most <paramref name="max"/> characters, never splitting a surrogate pair.</summary>
    public static string Clip(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= max)
        {
            return value;
        }

        var cut = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return value[..cut];
    }

    /// <summary>DECIMAL(3,2) confidence: 0.00–1.00 (the contract's range inside the column's 9.99), two decimals.</summary>
    public static decimal Confidence(double value) => decimal.Round((decimal)Math.Clamp(double.IsFinite(value) ? value : 0, 0, 1), 2, MidpointRounding.AwayFromZero);

    /// <summary>DECIMAL(10,2) seconds: two decimals, below 10^8.</summary>
    public static decimal Seconds(double value) => decimal.Round((decimal)Math.Clamp(double.IsFinite(value) ? value : 0, 0, 99_999_999.99), 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Milliseconds for release 2's <c>latency_ms</c>, stored by Heimdall as latency_ms/1000 in DECIMAL(10,2): so in
    /// whole hundredths of a second (a multiple of 10 ms), which that column holds exactly.
    /// </summary>
    public static long Milliseconds(double seconds) => (long)(Seconds(seconds) * 1000);
}
