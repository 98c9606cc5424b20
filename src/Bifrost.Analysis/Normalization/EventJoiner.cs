using System.Buffers;
using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Normalization;

/// <summary>
/// Joins physical lines into events: a record and its stack trace (Java "at"/"Caused by:"/"... N more",
/// .NET " ---> "/"--- End of inner exception stack trace ---", Python tracebacks and their chains,
/// Node.js "at" frames, Go panics and goroutine dumps), and tracks how deep each line sits in the cause chain.
/// </summary>
internal static partial class EventJoiner
{
    private sealed class Builder(int firstLine, ParsedLine head)
    {
        public int FirstLine { get; } = firstLine;
        public ParsedLine Head { get; } = head;
        public List<string> Lines { get; } = [];
        public List<int> Numbers { get; } = [];
        public List<string> Messages { get; } = [];
        public List<int> Depth { get; } = [];
        public List<int> PythonBlock { get; } = [];
        public int CurrentDepth { get; set; }
        public int CurrentPythonBlock { get; set; }
        public bool InTraceback { get; set; }
        public bool InGoPanic { get; set; }
        public bool HasStack { get; set; }
        public bool PythonChain { get; set; }
    }

    public static List<LogEvent> Join(IReadOnlyList<(int Number, string Line)> lines, int maxEvents) => Join(lines, maxEvents, out _);

    public static List<LogEvent> Join(IReadOnlyList<(int Number, string Line)> lines, int maxEvents, out ParsedLine[] parsed)
    {
        parsed = new ParsedLine[lines.Count];
        var prefixed = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            parsed[i] = LinePrefix.Parse(lines[i].Line);
            if (parsed[i].HasRecordPrefix)
            {
                prefixed++;
            }
        }

        // When most lines carry a record prefix, a line without one belongs to the record above it.
        var prefixDominant = lines.Count > 1 && prefixed * 10 >= lines.Count * 3;
        var events = new List<LogEvent>();
        Builder? current = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var p = parsed[i];
            foreach (var (message, first) in Split(p.Message))
            {
                if (string.IsNullOrWhiteSpace(message))
                {
                    continue;
                }

                var continuation = current is not null && (!first || IsContinuation(current, p, message, prefixDominant));
                if (!continuation)
                {
                    if (current is not null)
                    {
                        events.Add(Build(current));
                        if (events.Count >= maxEvents)
                        {
                            return events;
                        }
                    }

                    current = new Builder(lines[i].Number, p);
                }

                Append(current!, lines[i].Number, lines[i].Line, message);
            }
        }

        if (current is not null)
        {
            events.Add(Build(current));
        }

        return events;
    }

    private static IEnumerable<(string Message, bool First)> Split(string message)
    {
        if (!message.Contains('\n', StringComparison.Ordinal))
        {
            yield return (message.TrimEnd('\r'), true);
            yield break;
        }

        var first = true;
        foreach (var part in message.Split('\n'))
        {
            yield return (part.TrimEnd('\r'), first);
            first = false;
        }
    }

    private static bool IsContinuation(Builder current, ParsedLine p, string message, bool prefixDominant)
    {
        if (p.Kind == LogShape.Kubernetes)
        {
            return false;
        }

        if (StackTrace.IsStackLine(message) || StackTrace.IsChainMarker(message) || IsPostgresDetail(message))
        {
            return true;
        }

        if (current.InTraceback || current.InGoPanic)
        {
            // inside a traceback/panic everything up to the next record belongs to it
            return !p.HasRecordPrefix || p.Kind != LogShape.Plain || current.Head.HasRecordPrefix;
        }

        if (p.HasRecordPrefix)
        {
            return false;
        }

        // a stack trace ends its record: an unindented line after the last frame that is no cause marker is the runtime's
        // next output ("Terminating due to java.lang.OutOfMemoryError", another exception), not more of this record
        if (current.HasStack && char.IsLetter(message[0]) && StackTrace.IsFrame(current.Messages[^1]))
        {
            return false;
        }

        if (prefixDominant)
        {
            return true;
        }

        if (message.Length > 0 && (message[0] == ' ' || message[0] == '\t'))
        {
            return true;
        }

        // an exception header right under a log record is the exception that record logged
        return IsExceptionHeader(message) && !current.HasStack && current.Messages.Count == 1 && current.Head.HasRecordPrefix;
    }

    private static void Append(Builder b, int number, string raw, string message)
    {
        if (StackTrace.IsInnerCause(message))
        {
            b.CurrentDepth++;
            b.HasStack = true;
        }
        else if (message.Contains("--- End of inner exception stack trace ---", StringComparison.Ordinal) && Rx.IsMatch(EndOfInner(), message))
        {
            b.CurrentDepth = Math.Max(0, b.CurrentDepth - 1);
        }

        if (StackTrace.IsPythonChainSentence(message))
        {
            b.CurrentPythonBlock++;
            b.PythonChain = true;
        }

        if (message.Contains("Traceback (most recent call last)", StringComparison.Ordinal))
        {
            b.InTraceback = true;
            b.HasStack = true;
        }
        else if (b.InTraceback && !message.StartsWith(' ') && !message.StartsWith('\t') && IsExceptionHeader(message))
        {
            b.InTraceback = false; // the exception line closes the traceback
        }

        if (message.Length > 0 && message[0] is 'p' or 'f' or 'g' or 'r' or '[' && Rx.IsMatch(GoPanic(), message))
        {
            b.InGoPanic = true;
            b.HasStack = true;
        }

        if (StackTrace.IsStackLine(message))
        {
            b.HasStack = true;
        }

        b.Lines.Add(raw);
        b.Numbers.Add(number);
        b.Messages.Add(message);
        b.Depth.Add(b.CurrentDepth);
        b.PythonBlock.Add(b.CurrentPythonBlock);
    }

    private static LogEvent Build(Builder b)
    {
        var depth = b.Depth;
        if (b.PythonChain)
        {
            // Python prints the first cause first: the earliest traceback block is the innermost cause.
            var last = b.CurrentPythonBlock;
            depth = [.. b.PythonBlock.Select((block, i) => b.Depth[i] + (last - block))];
        }

        var max = depth.Count == 0 ? 0 : depth.Max();
        var innermost = 0;
        if (max > 0)
        {
            var lastHeader = -1;
            for (var i = 0; i < depth.Count; i++)
            {
                if (depth[i] != max)
                {
                    continue;
                }

                if (lastHeader < 0)
                {
                    lastHeader = i;
                }

                if (b.PythonChain && IsExceptionHeader(b.Messages[i]) && !b.Messages[i].StartsWith(' '))
                {
                    lastHeader = i; // Python: the exception line ends its block
                }
            }

            innermost = Math.Max(0, lastHeader);
        }
        else
        {
            for (var i = b.Messages.Count - 1; i >= 0; i--)
            {
                var m = b.Messages[i];
                if (!m.StartsWith(' ') && !m.StartsWith('\t') && IsExceptionHeader(m))
                {
                    innermost = i;
                    if (!b.InTraceback && !b.HasStack)
                    {
                        continue;
                    }

                    break;
                }
            }
        }

        return new LogEvent(b.FirstLine, b.Lines, b.Numbers, b.Messages, b.Head.Level, b.Head.Timestamp, depth) { InnermostIndex = innermost };
    }

    // Cheap pre-checks: each regex below is anchored at the line start (or needs a literal), so a line whose first
    // character (or missing literal) rules every alternative out is answered without calling the regex engine
    // (a call costs far more than the check: runner, timeout clock). Each check is implied by its regex, never stricter.

    private static bool IsPostgresDetail(string message) =>
        message.Length > 0 && message[0] is 'D' or 'H' or 'C' or 'S' or 'L' or 'Q' or 'W' or 'P'
        && Rx.IsMatch(PostgresDetail(), message);

    // every exception header ends its type name with one of these (case-sensitive, like the regex)
    private static readonly SearchValues<string> ExceptionSuffixes = SearchValues.Create(
        ["Exception", "Error", "Exit", "Interrupt", "Failure", "Fault", "Warning", "Timeout", "Detected", "Violation", "Throwable", "Panic"],
        StringComparison.Ordinal);

    /// <summary>An exception header line (<see cref="ExceptionHeader"/>), e.g. <c>java.io.IOException: ...</c>.</summary>
    internal static bool IsExceptionHeader(string message) =>
        message.AsSpan().ContainsAny(ExceptionSuffixes) && Rx.IsMatch(ExceptionHeader(), message);

    [GeneratedRegex(@"^(?:DETAIL|HINT|CONTEXT|STATEMENT|LINE \d+|QUERY|WHERE|Position):\s", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PostgresDetail();

    [GeneratedRegex(@"^\s*--- End of inner exception stack trace ---", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EndOfInner();

    [GeneratedRegex(@"^(?:panic: |fatal error: |goroutine \d+ \[|runtime: |\[signal )", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GoPanic();

    [GeneratedRegex(@"^\s*(?:Exception in thread ""[^""]{0,80}"" ?|\*\* \()?(?:[A-Za-z_$][\w$]*[.:])*[A-Z][\w$]*(?:Exception|Error|Exit|Interrupt|Failure|Fault|Warning|Timeout|Detected|Violation|Throwable|Panic)\b(?:: |:$|$| \(|\) )", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    internal static partial Regex ExceptionHeader();
}
