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

    public static string Redact(string text)
    {
        // Skip-scan: a run of MinLength characters covers every MinLength-th position, so only those are probed;
        // a probe inside a run finds its ends. Most log text (words shorter than 32) costs ~n/32 probes plus the
        // words probed, instead of a look at every character.
        var writer = new SpanWriter(text);
        var examined = 0;
        var i = MinLength - 1;
        while (i < text.Length)
        {
            if (!IsRunChar(text[i]))
            {
                i += MinLength;
                examined++;
                continue;
            }

            var start = i;
            while (start > 0 && IsRunChar(text[start - 1]) && i - start < MinLength)
            {
                start--;
            }

            var end = i + 1;
            while (end < text.Length && IsRunChar(text[end]))
            {
                end++;
            }

            examined += end - start;
            // The previous probe (i - MinLength) was outside a run, so a run of MinLength+ reaching i starts after it.
            if (end - start >= MinLength && (start == 0 || !IsRunChar(text[start - 1])) && IsCandidate(text, start, end))
            {
                var stop = end;
                while (stop < text.Length && text[stop] == '=' && stop - end < 2)
                {
                    stop++;
                }

                writer.Replace(start, stop, Placeholders.Secret);
            }

            i = end + MinLength;
        }

        Scan.Count(examined);
        return writer.Finish();
    }

    private static bool IsRunChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    private static bool IsCandidate(string text, int start, int end)
    {
        var run = text.AsSpan(start, end - start);
        // "AAAA…" is an SSH public key blob (a length prefix in base64), published by design; a run that starts
        // with '/' or has word-like segments between slashes is a path.
        if (run.StartsWith("AAAA", StringComparison.Ordinal) || run[0] == '/' || IsPath(run) || Scan.IsPlaceholderAt(text, start > 0 ? start - 1 : 0))
        {
            return false;
        }

        return IsRandom(run);
    }

    /// <summary>Two or more segments between slashes that are plain words (one case, letters only, 3+): a path.</summary>
    private static bool IsPath(ReadOnlySpan<char> run)
    {
        if (!run.Contains('/'))
        {
            return false;
        }

        var words = 0;
        foreach (var range in run.Split('/'))
        {
            var segment = run[range];
            if (segment.Length >= 3 && !segment.ContainsAnyExceptInRange('a', 'z') || (segment.Length >= 3 && !segment.ContainsAnyExceptInRange('A', 'Z')))
            {
                words++;
            }
        }

        return words >= 2;
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
