namespace Bifrost.Analysis.Normalization;

/// <summary>
/// Excerpt → events. Strips ANSI codes, caps long lines, reduces inputs over the budget to their salient
/// windows, reads each line's prefix and joins stack traces into events. Pure and thread-safe.
/// </summary>
public static class Normalizer
{
    /// <summary>Inputs larger than this are reduced to salient windows before anything else runs.</summary>
    public const int MaxChars = 64 * 1024;

    /// <summary>Inputs with more lines than this are reduced to salient windows.</summary>
    public const int MaxLines = 2000;

    /// <summary>Upper bound on events kept from one excerpt (bounds the classifier's work).</summary>
    public const int MaxEvents = 1000;

    public static NormalizedLog Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = AnsiText.Strip(text);
        var lines = SalientWindows.SplitLines(clean);
        var total = lines.Count;
        var reduced = SalientWindows.Select(lines, MaxChars, MaxLines);
        var events = EventJoiner.Join(reduced, MaxEvents, out var parsed);
        return new NormalizedLog(DetectShape(reduced, parsed), events, total, reduced.Count != lines.Count);
    }

    private static LogShape DetectShape(List<(int Number, string Line)> lines, ParsedLine[] parsed)
    {
        Span<int> counts = stackalloc int[6];
        var sample = Math.Min(lines.Count, 200);
        for (var i = 0; i < sample; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i].Line))
            {
                continue;
            }

            var kind = parsed[i].Kind;
            if (kind == LogShape.Prefixed && IsSyslog(lines[i].Line))
            {
                kind = LogShape.Syslog;
            }

            if (kind == LogShape.Plain && IsKubectl(lines[i].Line))
            {
                kind = LogShape.Kubernetes;
            }

            counts[(int)kind]++;
        }

        var best = LogShape.Plain;
        for (var k = 1; k < counts.Length; k++)
        {
            if (counts[k] > counts[(int)best] || (best == LogShape.Plain && counts[k] > 0 && counts[k] * 3 >= counts[0]))
            {
                best = (LogShape)k;
            }
        }

        return best;
    }

    private static bool IsSyslog(string line) =>
        line.Length > 16 && char.IsAsciiLetterUpper(line[0]) && line[3] == ' ' && line.AsSpan(0, Math.Min(line.Length, 40)).Contains("]: ", StringComparison.Ordinal);

    private static bool IsKubectl(string line) =>
        line.Contains("CrashLoopBackOff", StringComparison.Ordinal) || line.Contains("ImagePullBackOff", StringComparison.Ordinal)
        || line.StartsWith("NAME ", StringComparison.Ordinal) || line.AsSpan().TrimStart().StartsWith("Reason:", StringComparison.Ordinal)
        || line.AsSpan().TrimStart().StartsWith("State:", StringComparison.Ordinal);
}
