using System.Text;
using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Normalization;

/// <summary>
/// Shrinks a large log to what matters: error lines with a few lines of context (first and last occurrences of
/// each distinct error shape) plus the end of the log, in original order, instead of a blind cut.
/// Used by the engine for inputs over its budget and by the LLM path to fit a prompt into a token budget.
/// </summary>
public static partial class SalientWindows
{
    /// <summary>Lines longer than this keep their head and tail only (a 10 MB single line stays cheap).</summary>
    public const int MaxLineChars = 4096;

    private const int Before = 3;
    private const int After = 12;
    private const int TailLines = 30;

    /// <summary>Returns <paramref name="text"/> unchanged when it fits in <paramref name="maxChars"/>, else its salient windows.</summary>
    public static string Reduce(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxChars)
        {
            return text;
        }

        var kept = Select(SplitLines(text), maxChars, int.MaxValue);
        var sb = new StringBuilder(Math.Min(text.Length, maxChars + 256));
        var previous = 0;
        foreach (var (number, line) in kept)
        {
            if (number != previous + 1)
            {
                sb.Append("… [").Append(number - previous - 1).Append(" lines omitted] …\n");
            }

            sb.Append(line).Append('\n');
            previous = number;
        }

        return sb.ToString();
    }

    /// <summary>All lines of <paramref name="text"/>, 1-based, each capped at <see cref="MaxLineChars"/>.</summary>
    internal static List<(int Number, string Line)> SplitLines(string text)
    {
        var result = new List<(int, string)>();
        var number = 0;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            number++;
            var length = end - start;
            if (length > 0 && text[end - 1] == '\r')
            {
                length--;
            }

            result.Add((number, CapLine(text, start, length)));
            if (end == text.Length)
            {
                break;
            }

            start = end + 1;
        }

        return result;
    }

    /// <summary>Keeps the salient lines of <paramref name="lines"/> within a character and a line budget.</summary>
    internal static List<(int Number, string Line)> Select(List<(int Number, string Line)> lines, int maxChars, int maxLines)
    {
        var total = 0L;
        foreach (var (_, line) in lines)
        {
            total += line.Length + 1;
        }

        if (total <= maxChars && lines.Count <= maxLines)
        {
            return lines;
        }

        var keep = new bool[lines.Count];
        var budget = maxChars;
        var lineBudget = maxLines;

        // the end of the log first: it usually holds the final, fatal error
        var tailBudget = budget / 4;
        for (var i = lines.Count - 1; i >= 0 && i >= lines.Count - TailLines; i--)
        {
            var cost = lines[i].Line.Length + 1;
            if (cost > tailBudget || lineBudget <= 0)
            {
                break;
            }

            keep[i] = true;
            tailBudget -= cost;
            budget -= cost;
            lineBudget--;
        }

        // then windows around error lines: first occurrences of each shape, then last occurrences
        var firstOfShape = new List<int>();
        var lastOfShape = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Line;
            if (!Rx.IsMatch(Salient(), line.Length > 512 ? line[..512] : line))
            {
                continue;
            }

            var shape = Shape(line);
            if (seen.Add(shape))
            {
                firstOfShape.Add(i);
            }

            lastOfShape[shape] = i;
        }

        var order = firstOfShape.Concat(lastOfShape.Values.Where(i => !firstOfShape.Contains(i)).OrderBy(i => i));
        foreach (var center in order)
        {
            var from = Math.Max(0, center - Before);
            var to = Math.Min(lines.Count - 1, center + After);
            for (var i = from; i <= to; i++)
            {
                if (keep[i])
                {
                    continue;
                }

                var cost = lines[i].Line.Length + 1;
                if (cost > budget || lineBudget <= 0)
                {
                    if (i <= center)
                    {
                        continue; // context before the error is optional; the error line itself may still fit
                    }

                    break;
                }

                keep[i] = true;
                budget -= cost;
                lineBudget--;
            }

            if (budget <= 0 || lineBudget <= 0)
            {
                break;
            }
        }

        var kept = new List<(int, string)>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (keep[i])
            {
                kept.Add(lines[i]);
            }
        }

        return kept;
    }

    private static string CapLine(string text, int start, int length)
    {
        if (length <= MaxLineChars)
        {
            return text.Substring(start, length);
        }

        var half = MaxLineChars / 2;
        return string.Concat(text.AsSpan(start, half), " … ", text.AsSpan(start + length - half, half));
    }

    private static string Shape(string line)
    {
        var sb = new StringBuilder(Math.Min(line.Length, 160));
        foreach (var c in line.AsSpan(0, Math.Min(line.Length, 160)))
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiHexDigitLower(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"(?i:\b(?:error|err|fatal|panic|severe|critical|crit|exception|traceback|caused by|failed|failure|refused|timed? ?out|denied|forbidden|killed|oom|unavailable|cannot|could not|unable to)\b)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Salient();
}
