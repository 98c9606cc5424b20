namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks e-mail addresses, internationalised ones included: a local part of letters (any script), digits and
/// <c>. _ % + - '</c>, then a domain of at least two labels whose last is 2+ letters (any script: <c>.한국</c>,
/// <c>.рф</c>) or punycode (<c>xn--…</c>). Anchored on each '@' and reading at most 64 characters back and 255
/// forward, so a long run of address characters costs linear time.
/// </summary>
internal static class EmailAddresses
{
    private const int MaxLocal = 64;
    private const int MaxDomain = 255;

    public static bool MayContain(string text) => text.Contains('@');

    public static string Redact(string text)
    {
        var writer = new SpanWriter(text);
        for (var at = Scan.IndexOf(text, '@', 0); at >= 0; at = Scan.IndexOf(text, '@', at + 1))
        {
            var start = at;
            while (start > writer.Copied && at - start < MaxLocal && IsLocalChar(text[start - 1]))
            {
                start--;
            }

            Scan.Count(at - start);
            while (start < at && text[start] is '.' or '\'' or '-')
            {
                start++; // "…'bob@x.org" or "--bob@x.org": punctuation before the address is not part of it
            }

            var end = DomainEnd(text, at + 1);
            if (start == at || end < 0)
            {
                continue;
            }

            writer.Replace(start, end, Placeholders.Email);
            at = end - 1;
        }

        return writer.Finish();
    }

    /// <summary>End of a domain with at least one dot and an alphabetic (or punycode) last label, or -1.</summary>
    private static int DomainEnd(string text, int from)
    {
        var end = from;
        while (end < text.Length && end - from < MaxDomain && (char.IsLetterOrDigit(text[end]) || text[end] is '-' or '.'))
        {
            end++;
        }

        Scan.Count(end - from);
        while (end > from && text[end - 1] is '.' or '-')
        {
            end--; // a sentence's full stop is not part of the address
        }

        if (end == from || !char.IsLetterOrDigit(text[from]))
        {
            return -1;
        }

        var lastDot = text.LastIndexOf('.', end - 1, end - from);
        if (lastDot <= from || end - lastDot - 1 < 2)
        {
            return -1;
        }

        var tld = text.AsSpan(lastDot + 1, end - lastDot - 1);
        if (tld.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return end;
        }

        foreach (var c in tld)
        {
            if (!char.IsLetter(c))
            {
                return -1;
            }
        }

        return end;
    }

    private static bool IsLocalChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'';
}
