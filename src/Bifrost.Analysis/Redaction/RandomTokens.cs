using System.Buffers;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks bare random credentials that carry no prefix and no key name: a run of 32 or more base64 characters
/// (an AWS secret access key is 40) that mixes upper case, lower case and digits and has the character
/// entropy of random data. What stays: hexadecimal runs (hashes, git SHAs, trace and span ids, UUIDs without
/// dashes), words and identifiers (not enough digits, too little entropy), numbers. A bare 32-hex API key cannot
/// be told from an MD5 hash; it is masked only through its key name (<see cref="KeyValueSecrets"/>).
/// One walk over the text's runs; each character is read once.
/// </summary>
internal static class RandomTokens
{
    private const int MinLength = 32;
    private static readonly SearchValues<char> RunChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    public static string Redact(string text)
    {
        var writer = new SpanWriter(text);
        var i = 0;
        while (i < text.Length)
        {
            var start = Scan.IndexOfAny(text, i, RunChars);
            if (start < 0)
            {
                break;
            }

            var end = Scan.RunEnd(text, start, RunChars);
            // "AAAA…" is an SSH public key blob (a length prefix in base64), published by design.
            if (end - start >= MinLength && !text.AsSpan(start).StartsWith("AAAA", StringComparison.Ordinal) && IsRandom(text.AsSpan(start, end - start)) && !Scan.IsPlaceholderAt(text, start - 1 < 0 ? 0 : start - 1))
            {
                var stop = end;
                while (stop < text.Length && text[stop] == '=' && stop - end < 2)
                {
                    stop++;
                }

                writer.Replace(start, stop, Placeholders.Secret);
            }

            i = end;
        }

        return writer.Finish();
    }

    /// <summary>Upper, lower and digits (at least two of each), not only hex, and ≥ 4.2 bits of entropy per character.</summary>
    internal static bool IsRandom(ReadOnlySpan<char> run)
    {
        int upper = 0, lower = 0, digit = 0;
        var hexOnly = true;
        Span<int> counts = stackalloc int[128];
        foreach (var c in run)
        {
            if (char.IsAsciiLetterUpper(c)) upper++;
            else if (char.IsAsciiLetterLower(c)) lower++;
            else if (char.IsAsciiDigit(c)) digit++;
            hexOnly &= char.IsAsciiHexDigit(c);
            counts[c & 127]++;
        }

        if (hexOnly || upper < 2 || lower < 2 || digit < 2)
        {
            return false;
        }

        var entropy = 0.0;
        foreach (var n in counts)
        {
            if (n > 0)
            {
                var p = (double)n / run.Length;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy >= 4.2;
    }
}
