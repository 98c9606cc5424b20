namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks national identification numbers and telephone numbers:
/// Korean resident registration numbers (<c>YYMMDD-GNNNNNN</c>, a real date and a gender digit 1–8; the hyphen is
/// required because 13 bare digits are also epoch milliseconds), US social security numbers (<c>AAA-GG-SSSS</c>),
/// Korean mobile and area-code numbers (<c>010-1234-5678</c>, <c>02 123 4567</c>, <c>01012345678</c>), any
/// international number written with its country code (<c>+82 10-1234-5678</c>, <c>+1 (415) 555-2671</c>) and North
/// American numbers (<c>(415) 555-2671</c>, <c>415-555-2671</c>). Phones must be written as phones (a plus, or
/// separators in the national pattern): a bare run of digits is a count, an id or a timestamp and stays.
/// One walk over digit runs; each run is read once.
/// </summary>
internal static class PersonalNumbers
{
    private const int MaxGroups = 8;

    public static bool MayContain(string text) => text.AsSpan().ContainsAnyInRange('0', '9');

    public static string Redact(string text)
    {
        var writer = new SpanWriter(text);
        Span<(int Start, int End)> groups = stackalloc (int, int)[MaxGroups];
        var i = 0;
        while (i < text.Length)
        {
            var next = text.AsSpan(i).IndexOfAnyInRange('0', '9');
            if (next < 0)
            {
                Scan.Count(text.Length - i);
                break;
            }

            Scan.Count(next + 1);
            var start = i + next;
            var plus = start > 0 && text[start - 1] == '+' ? start - 1 : -1;
            var paren = start > 0 && text[start - 1] == '(' ? start - 1 : -1;
            var labelled = start > 1 && text[start - 1] == ':' && char.IsLetter(text[start - 2]); // "tel:010-…"
            if (start > 0 && !labelled && (char.IsAsciiLetterOrDigit(text[start - 1]) || (text[start - 1] is '.' or '-' or '_' or ':' or '/')))
            {
                i = SkipDigits(text, start);
                continue; // inside a word, a version, an id or a time
            }

            var (count, end) = ReadGroups(text, start, groups);
            Scan.Count(end - start);
            var kind = Classify(text, groups[..count], plus >= 0, paren >= 0);
            var right = end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || (text[end] is '-' or '_' or '/' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1])));
            if (kind is not null && right)
            {
                var from = plus >= 0 ? plus : paren >= 0 ? paren : start;
                if (from >= writer.Copied && (from == 0 || labelled || !char.IsAsciiLetterOrDigit(text[from - 1])))
                {
                    writer.Replace(from, end, kind);
                }
            }

            i = Math.Max(end, start + 1);
        }

        return writer.Finish();
    }

    private static int SkipDigits(string text, int i)
    {
        var end = i;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        Scan.Count(end - i);
        return end;
    }

    /// <summary>
    /// Digit groups separated by one separator (space, dash, dot, or a closing parenthesis with an optional space),
    /// at most <see cref="MaxGroups"/>; returns how many and where the last group ends.
    /// </summary>
    private static (int Count, int End) ReadGroups(string text, int start, Span<(int Start, int End)> groups)
    {
        var count = 0;
        var i = start;
        var end = start;
        while (count < groups.Length)
        {
            var groupStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - groupStart < 16)
            {
                i++;
            }

            if (i == groupStart)
            {
                break;
            }

            groups[count++] = (groupStart, i);
            end = i;
            if (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                break; // more than 16 digits in a row: not a phone or an id
            }

            // One separator: ") ", ")", " ", "-", ".", each optionally followed by "(" ("+1 (415) 555-2671", "+82 (0)10-…").
            var separator = i;
            if (i < text.Length && text[i] == ')')
            {
                i++;
            }

            if (i < text.Length && text[i] is ' ' or '-' or '.')
            {
                i++;
            }

            if (i > separator && i < text.Length && text[i] == '(' && text[separator] != ')')
            {
                i++;
            }

            if (i == separator || i >= text.Length || !char.IsAsciiDigit(text[i]))
            {
                break;
            }
        }

        return (count, end);
    }

    private static string? Classify(string text, ReadOnlySpan<(int Start, int End)> groups, bool plus, bool paren)
    {
        Span<int> lengths = stackalloc int[groups.Length];
        var digits = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            lengths[g] = groups[g].End - groups[g].Start;
            digits += lengths[g];
        }

        // Every pattern below has 9+ digits (02-123-4567), or 8+ after a plus: most digit runs stop here.
        if (digits < (plus ? 8 : 9))
        {
            return null;
        }

        char Sep(ReadOnlySpan<(int Start, int End)> g, int i) => g[i].End < text.Length ? text[g[i].End] : '\0'; // the separator after group i

        // Korean RRN: YYMMDD-GNNNNNN
        if (!plus && groups.Length == 2 && lengths[0] == 6 && lengths[1] == 7 && Sep(groups, 0) == '-' && IsRrn(text, groups[0].Start, groups[1].Start))
        {
            return Placeholders.NationalId;
        }

        // US SSN: AAA-GG-SSSS
        if (!plus && !paren && groups.Length == 3 && lengths.SequenceEqual([3, 2, 4]) && Sep(groups, 0) == '-' && Sep(groups, 1) == '-' && IsSsn(text, groups))
        {
            return Placeholders.NationalId;
        }

        if (plus)
        {
            // +CC and the national number: 8 to 15 digits in all (E.164), in groups after a short country code, or 10+ in one run.
            return digits is >= 8 and <= 15 && ((groups.Length >= 2 && lengths[0] <= 4) || (groups.Length == 1 && digits >= 10)) ? Placeholders.Phone : null;
        }

        var first = text.AsSpan(groups[0].Start, lengths[0]);
        // Korean numbers: 01X mobile, 0XX area codes, 070 internet phones; 11 bare digits for mobiles only.
        if (first.Length == 11 && groups.Length == 1 && first.StartsWith("01", StringComparison.Ordinal) && first[2] is '0' or '1' or '6' or '7' or '8' or '9')
        {
            return Placeholders.Phone;
        }

        var mobile = lengths[0] == 3 && first.StartsWith("01", StringComparison.Ordinal);
        if (groups.Length == 3 && lengths[0] is 2 or 3 && first[0] == '0' && lengths[1] is 3 or 4 && lengths[2] == 4 && (Sep(groups, 0) != '.' || (mobile && Sep(groups, 1) == '.')))
        {
            return Placeholders.Phone;
        }

        // North America: (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX
        if (groups.Length == 3 && lengths.SequenceEqual([3, 3, 4]) && first[0] is >= '2' and <= '9' && text[groups[1].Start] is >= '2' and <= '9'
            && (paren ? text[groups[0].End] == ')' : Sep(groups, 0) == Sep(groups, 1) && Sep(groups, 0) is '-' or '.'))
        {
            return Placeholders.Phone;
        }

        return null;
    }

    private static bool IsRrn(string text, int date, int serial)
    {
        var month = ((text[date + 2] - '0') * 10) + (text[date + 3] - '0');
        var day = ((text[date + 4] - '0') * 10) + (text[date + 5] - '0');
        return month is >= 1 and <= 12 && day is >= 1 and <= 31 && text[serial] is >= '1' and <= '8';
    }

    private static bool IsSsn(string text, ReadOnlySpan<(int Start, int End)> groups)
    {
        var area = text.AsSpan(groups[0].Start, 3);
        return !area.SequenceEqual("000") && !area.SequenceEqual("666") && area[0] != '9'
            && !text.AsSpan(groups[1].Start, 2).SequenceEqual("00") && !text.AsSpan(groups[2].Start, 4).SequenceEqual("0000");
    }
}
