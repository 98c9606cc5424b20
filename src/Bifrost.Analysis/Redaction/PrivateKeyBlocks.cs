namespace Bifrost.Analysis.Redaction;

/// <summary>Masks PEM private key blocks (<c>-----BEGIN ... PRIVATE KEY-----</c> to the matching END line).</summary>
internal static class PrivateKeyBlocks
{
    private const string Begin = "-----BEGIN ";
    private const string PrivateKeyMarker = "PRIVATE KEY-----";
    private const string End = "-----END ";

    public static string Redact(string text)
    {
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        if (begin < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var copied = 0;
        while (begin >= 0)
        {
            // "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN ENCRYPTED PRIVATE KEY-----"...
            var headerEnd = text.IndexOf('\n', begin);
            var header = text.AsSpan(begin, (headerEnd < 0 ? text.Length : headerEnd) - begin);
            var marker = header.IndexOf(PrivateKeyMarker, StringComparison.Ordinal);
            if (marker < 0 || marker > 40)
            {
                begin = text.IndexOf(Begin, begin + Begin.Length, StringComparison.Ordinal);
                continue;
            }

            // Without an END line (a truncated excerpt) everything after BEGIN is key material.
            var end = text.IndexOf(End, begin + Begin.Length, StringComparison.Ordinal);
            var stop = text.Length;
            if (end >= 0)
            {
                var close = text.IndexOf("-----", end + End.Length, StringComparison.Ordinal);
                stop = close < 0 ? text.Length : close + 5;
            }

            builder.Append(text, copied, begin - copied).Append(Placeholders.PrivateKey);
            copied = stop;
            begin = stop < text.Length ? text.IndexOf(Begin, stop, StringComparison.Ordinal) : -1;
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }
}
