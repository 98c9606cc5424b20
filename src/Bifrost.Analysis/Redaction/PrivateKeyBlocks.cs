using System.Buffers;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks private key blocks: PEM and PGP armour (<c>-----BEGIN … PRIVATE KEY[ BLOCK]-----</c> to the next END
/// line), SSH2 (<c>---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----</c>) and PuTTY's <c>Private-Lines:</c> section.
/// Linear: a BEGIN label is read at most <see cref="MaxLabel"/> characters and stops at the first dash, so a flood
/// of <c>-----BEGIN </c> costs one short read per occurrence (the old version looked for a newline after each one:
/// quadratic on a 1 MiB line without one); a key block is searched for its END once and consumed.
/// </summary>
internal static class PrivateKeyBlocks
{
    private const int MaxLabel = 80;
    private static readonly SearchValues<string> Begins = SearchValues.Create(["-----BEGIN ", "---- BEGIN "], StringComparison.Ordinal);
    private static readonly SearchValues<string> Ends = SearchValues.Create(["-----END ", "---- END "], StringComparison.Ordinal);
    private static readonly SearchValues<char> LabelChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ");
    private static readonly SearchValues<char> Dashes = SearchValues.Create("-");

    public static bool MayContain(string text) => text.Contains("BEGIN ", StringComparison.Ordinal) || text.Contains("Private-Lines:", StringComparison.Ordinal);

    public static string Redact(string text)
    {
        var writer = new SpanWriter(text);
        var i = 0;
        while (i < text.Length)
        {
            var begin = Scan.IndexOfAny(text, i, Begins);
            if (begin < 0)
            {
                break;
            }

            // Both markers are 11 characters; the label stops at the first character that is not [A-Z0-9 ].
            var labelStart = begin + 11;
            var labelEnd = Scan.RunEnd(text, labelStart, LabelChars, MaxLabel);
            if (labelEnd >= text.Length || text[labelEnd] != '-' || !text.AsSpan(labelStart, labelEnd - labelStart).Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                i = labelEnd; // no BEGIN marker can start inside the label (it has no dash)
                continue;
            }

            // Without an END line (a truncated excerpt) everything after BEGIN is key material.
            var end = Scan.IndexOfAny(text, labelEnd, Ends);
            var stop = text.Length;
            if (end >= 0)
            {
                var endLabel = Scan.RunEnd(text, end + 9, LabelChars, MaxLabel);
                stop = Scan.RunEnd(text, endLabel, Dashes, 5);
            }

            writer.Replace(begin, stop, Placeholders.PrivateKey);
            i = stop;
        }

        return PuttyPrivateLines(writer.Finish());
    }

    /// <summary>PuTTY .ppk files: the lines after <c>Private-Lines: N</c> up to and including <c>Private-MAC:</c>/<c>Private-Hash:</c>.</summary>
    private static string PuttyPrivateLines(string text)
    {
        var start = Scan.IndexOf(text, "Private-Lines:", 0);
        if (start < 0)
        {
            return text;
        }

        var writer = new SpanWriter(text);
        while (start >= 0)
        {
            var mac = Scan.IndexOf(text, "Private-", start + 14);
            while (mac >= 0 && !text.AsSpan(mac).StartsWith("Private-MAC:", StringComparison.Ordinal) && !text.AsSpan(mac).StartsWith("Private-Hash:", StringComparison.Ordinal))
            {
                mac = Scan.IndexOf(text, "Private-", mac + 8);
            }

            var stop = mac < 0 ? text.Length : Scan.IndexOf(text, '\n', mac) is var nl and >= 0 ? nl : text.Length;
            writer.Replace(start, stop, Placeholders.PrivateKey);
            start = Scan.IndexOf(text, "Private-Lines:", stop);
        }

        return writer.Finish();
    }
}
