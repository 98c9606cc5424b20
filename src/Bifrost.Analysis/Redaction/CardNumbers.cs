namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks payment card numbers: 13 to 19 digits, grouped or not (one or two spaces, a dash or a dot between
/// groups), that pass the Luhn check and start like a real card (Visa, Mastercard, Amex, Discover, JCB, Diners),
/// also when glued to letters (<c>card4111111111111111</c>, <c>4111111111111111exp</c>). The prefix check is what
/// keeps ids, epoch milliseconds and compact timestamps (one in ten passes Luhn by chance) unmasked; a run inside a
/// long hexadecimal token (a hash) is never a card.
/// </summary>
internal static class CardNumbers
{
    public static string Redact(string text)
    {
        System.Text.StringBuilder? builder = null;
        var copied = 0;
        var i = 0;
        Span<byte> digits = stackalloc byte[19];
        while (i < text.Length)
        {
            // jump to the next digit with a vectorised search (most text has none)
            var next = text.AsSpan(i).IndexOfAnyInRange('0', '9');
            if (next < 0)
            {
                break;
            }

            Scan.Count(next + 1);
            i += next;
            if (i > 0 && (char.IsAsciiDigit(text[i - 1]) || (text[i - 1] is '.' or ',' && i > 1 && char.IsAsciiDigit(text[i - 2]))
                || (text[i - 1] is '-' or '_' && i > 1 && (char.IsAsciiLetterOrDigit(text[i - 2]) || text[i - 2] is '_' or '-'))))
            {
                i++;
                continue; // inside a number, or a segment of an id ("req-…-385855184318", HDFS "blk_-4111…")
            }

            var (length, end) = ReadDigits(text, i, digits);
            Scan.Count(end - i);
            if (length >= 13 && length <= 19 && (end == text.Length || !char.IsAsciiDigit(text[end]))
                && HasCardPrefix(digits[..length]) && PassesLuhn(digits[..length]) && !InsideHexToken(text, i, end))
            {
                builder ??= new System.Text.StringBuilder(text.Length);
                builder.Append(text, copied, i - copied).Append(Placeholders.Card);
                copied = end;
            }

            i = Math.Max(end, i + 1);
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// The first or last digit group is part of a hash or random id glued to letters ("…a3f4111…", "113d3a99…"):
    /// a hex or mixed-case alphanumeric token of 24+ characters is an identifier, not a card glued to a word.
    /// </summary>
    private static bool InsideHexToken(string text, int start, int end) => IsIdToken(text, start) || IsIdToken(text, end - 1);

    private static bool IsIdToken(string text, int at)
    {
        var from = Scan.RunStart(text, at, Scan.AsciiAlnum, 128);
        var to = Scan.RunEnd(text, at, Scan.AsciiAlnum, 128);
        var token = text.AsSpan(from, to - from);
        return token.Length >= 24 && token.ContainsAnyExceptInRange('0', '9')
            && (!token.ContainsAnyExcept(Scan.Hex) || (token.ContainsAnyInRange('a', 'z') && token.ContainsAnyInRange('A', 'Z')));
    }

    /// <summary>Reads digits with separators (one dash or dot, or one or two spaces); returns the digit count (20 means "too long") and where it stopped.</summary>
    private static (int Length, int End) ReadDigits(string text, int start, Span<byte> digits)
    {
        var count = 0;
        var i = start;
        var end = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    // Longer than any card: skip the rest of the run so no suffix of it is taken for a card.
                    while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] is ' ' or '-' or '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
                    {
                        i++;
                    }

                    return (20, i);
                }

                digits[count++] = (byte)(c - '0');
                end = ++i;
            }
            else if (c is '-' or '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && count > 0)
            {
                i++;
            }
            else if (c == ' ' && count > 0 && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || (text[i + 1] == ' ' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))))
            {
                i += text[i + 1] == ' ' ? 2 : 1;
            }
            else
            {
                break;
            }
        }

        return (count, end);
    }

    private static bool HasCardPrefix(ReadOnlySpan<byte> d)
    {
        var two = (d[0] * 10) + d[1];
        var four = (two * 100) + (d[2] * 10) + d[3];
        var length = d.Length;
        return (d[0] == 4 && length is 13 or 16 or 19)                           // Visa
            || (two is >= 51 and <= 55 && length == 16)                             // Mastercard
            || (four is >= 2221 and <= 2720 && length == 16)                        // Mastercard 2-series
            || (two is 34 or 37 && length == 15)                                    // American Express
            || ((four == 6011 || two == 65 || four / 10 is >= 644 and <= 649) && length is >= 16 and <= 19) // Discover
            || (four is >= 3528 and <= 3589 && length is >= 16 and <= 19)           // JCB
            || ((two is 36 or 38 || four / 10 is >= 300 and <= 305) && length is >= 14 and <= 19); // Diners
    }

    private static bool PassesLuhn(ReadOnlySpan<byte> d)
    {
        var sum = 0;
        for (var i = 0; i < d.Length; i++)
        {
            int digit = d[d.Length - 1 - i];
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }
}
