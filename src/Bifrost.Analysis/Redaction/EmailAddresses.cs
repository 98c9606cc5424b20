namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks e-mail addresses: <c>local@domain.tld</c> with a dotted domain and an alphabetic top-level label.
/// Hand-written and anchored on each '@' (reading at most 64 characters back and 255 forward), so a long run
/// of address characters costs linear time where a regex would retry it from every start position.
/// </summary>
internal static class EmailAddresses
{
    private const int MaxLocal = 64;
    private const int MaxDomain = 255;

    public static string Redact(string text)
    {
        System.Text.StringBuilder? builder = null;
        var copied = 0;
        for (var at = text.IndexOf('@'); at >= 0; at = at + 1 < text.Length ? text.IndexOf('@', at + 1) : -1)
        {
            var start = at;
            while (start > copied && at - start < MaxLocal && IsLocalChar(text[start - 1]))
            {
                start--;
            }

            var end = DomainEnd(text, at + 1);
            if (start == at || end < 0)
            {
                continue;
            }

            builder ??= new System.Text.StringBuilder(text.Length);
            builder.Append(text, copied, start - copied).Append(Placeholders.Email);
            copied = end;
            at = end - 1;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>End of a domain with at least one dot and an alphabetic last label of 2+ letters, or -1.</summary>
    private static int DomainEnd(string text, int from)
    {
        var end = from;
        while (end < text.Length && end - from < MaxDomain && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '.'))
        {
            end++;
        }

        while (end > from && text[end - 1] is '.' or '-')
        {
            end--; // a sentence's full stop is not part of the address
        }

        var lastDot = text.LastIndexOf('.', end - 1, end - from);
        if (lastDot <= from || end - lastDot - 1 < 2)
        {
            return -1;
        }

        for (var i = lastDot + 1; i < end; i++)
        {
            if (!char.IsAsciiLetter(text[i]))
            {
                return -1;
            }
        }

        return end;
    }

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';
}
