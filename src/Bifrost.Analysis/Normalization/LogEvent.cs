namespace Bifrost.Analysis.Normalization;

/// <summary>
/// One logical event: a log record plus its continuation lines (stack frames, "Caused by:", inner exceptions,
/// traceback chains) joined together. Line numbers are 1-based positions in the original excerpt.
/// </summary>
/// <param name="FirstLine">Line number of the event's first line.</param>
/// <param name="Lines">The event's lines with ANSI codes and per-line prefixes (container/syslog) removed.</param>
/// <param name="LineNumbers">Original line number of each entry in <paramref name="Lines"/>.</param>
/// <param name="Messages">Per line: the message part (timestamp/level/logger prefix or JSON envelope removed).</param>
/// <param name="Level">The record's level (the first line's), or <see cref="LogLevel.Unknown"/>.</param>
/// <param name="Timestamp">The record's timestamp text as written, if any.</param>
/// <param name="CauseDepth">Per line: 0 for the outermost exception, higher for each nested cause.</param>
public sealed record LogEvent(
    int FirstLine,
    IReadOnlyList<string> Lines,
    IReadOnlyList<int> LineNumbers,
    IReadOnlyList<string> Messages,
    LogLevel Level,
    string? Timestamp,
    IReadOnlyList<int> CauseDepth)
{
    /// <summary>The deepest cause depth in this event (0 when there is no chain).</summary>
    public int MaxDepth { get; } = CauseDepth.Count == 0 ? 0 : CauseDepth.Max();

    /// <summary>Index (into <see cref="Lines"/>) of the innermost cause's header line, or 0.</summary>
    public int InnermostIndex { get; init; }

    /// <summary>The message of the innermost cause's header line (what the event is really about).</summary>
    public string InnermostMessage => Messages.Count == 0 ? string.Empty : Messages[InnermostIndex];

    /// <summary>The whole event's messages joined by newlines.</summary>
    public string Text => string.Join('\n', Messages);
}

/// <summary>The result of normalising an excerpt: its shape and its events in order.</summary>
/// <param name="Reduced">True when the input was larger than the budget and only salient windows were kept.</param>
public sealed record NormalizedLog(LogShape Shape, IReadOnlyList<LogEvent> Events, int TotalLines, bool Reduced);
