using System.Buffers;
using System.Text;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// What the hand-written scanners share: searches that count the characters they look at, and character classes.
/// Every scanner is a left-to-right walk that never re-reads a span it already consumed, so its work is linear in
/// the input; <see cref="Work"/> counts that work per thread so the hostile-input tests can assert the bound
/// (a structural property) instead of timing anything.
/// </summary>
internal static class Scan
{
    [ThreadStatic]
    private static long t_work;

    /// <summary>Characters examined by the scanners on this thread since the last reset (tests read it).</summary>
    internal static long Work
    {
        get => t_work;
        set => t_work = value;
    }

    /// <summary>Records that <paramref name="chars"/> characters were examined (at least one per call).</summary>
    internal static void Count(int chars) => t_work += Math.Max(1, chars);

    public static int IndexOf(string text, string value, int from, StringComparison comparison = StringComparison.Ordinal)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var found = text.IndexOf(value, from, comparison);
        Count((found < 0 ? text.Length : found) - from);
        return found;
    }

    public static int IndexOf(string text, char value, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var found = text.IndexOf(value, from);
        Count((found < 0 ? text.Length : found) - from);
        return found;
    }

    public static int IndexOfAny(string text, int from, SearchValues<string> values)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var found = text.AsSpan(from).IndexOfAny(values);
        Count(found < 0 ? text.Length - from : found);
        return found < 0 ? -1 : from + found;
    }

    public static int IndexOfAny(string text, int from, SearchValues<char> values)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var found = text.AsSpan(from).IndexOfAny(values);
        Count(found < 0 ? text.Length - from : found);
        return found < 0 ? -1 : from + found;
    }

    /// <summary>The end of the run of characters in <paramref name="values"/> starting at <paramref name="from"/>, read at most <paramref name="max"/> far.</summary>
    public static int RunEnd(string text, int from, SearchValues<char> values, int max = int.MaxValue)
    {
        var limit = (int)Math.Min(text.Length, (long)from + max);
        if (from >= limit)
        {
            return from;
        }

        var found = text.AsSpan(from, limit - from).IndexOfAnyExcept(values);
        var end = found < 0 ? limit : from + found;
        Count(end - from);
        return end;
    }

    /// <summary>Where the run of characters in <paramref name="values"/> that ends just before <paramref name="end"/> starts, read at most <paramref name="max"/> back.</summary>
    public static int RunStart(string text, int end, SearchValues<char> values, int max)
    {
        var start = end;
        while (start > 0 && end - start < max && values.Contains(text[start - 1]))
        {
            start--;
        }

        Count(end - start);
        return start;
    }

    public static bool IsAlnum(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary>Whether the text at <paramref name="index"/> is a placeholder a previous pass wrote.</summary>
    public static bool IsPlaceholderAt(string text, int index) =>
        index < text.Length && text[index] == '<' && (text.AsSpan(index).StartsWith(Placeholders.RedactedPrefix, StringComparison.Ordinal)
            || text.AsSpan(index).StartsWith(Placeholders.Email, StringComparison.Ordinal)
            || text.AsSpan(index).StartsWith(Placeholders.Card, StringComparison.Ordinal)
            || text.AsSpan(index).StartsWith(Placeholders.Phone, StringComparison.Ordinal)
            || text.AsSpan(index).StartsWith(Placeholders.NationalId, StringComparison.Ordinal));

    public static readonly SearchValues<char> AsciiAlnum = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    public static readonly SearchValues<char> Word = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
    public static readonly SearchValues<char> WordDash = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    public static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");
    public static readonly SearchValues<char> Upper = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    public static readonly SearchValues<char> Base64 = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
    public static readonly SearchValues<char> TokenChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=");
}

/// <summary>
/// Builds the redacted string: copies the text between replaced spans and writes each placeholder once. Spans must
/// come in order and not overlap; nothing is allocated when no span is replaced.
/// </summary>
internal struct SpanWriter(string text)
{
    private StringBuilder? _builder;
    private int _copied;

    /// <summary>Everything before this index is already written (replaced spans end here at the latest).</summary>
    public readonly int Copied => _copied;

    public void Replace(int start, int end, string placeholder)
    {
        if (start < _copied || end < start)
        {
            return; // overlaps what was already replaced: the earlier, outer span wins
        }

        _builder ??= new StringBuilder(text.Length);
        _builder.Append(text, _copied, start - _copied).Append(placeholder);
        _copied = end;
    }

    public readonly string Finish() => _builder is null ? text : _builder.Append(text, _copied, text.Length - _copied).ToString();
}
