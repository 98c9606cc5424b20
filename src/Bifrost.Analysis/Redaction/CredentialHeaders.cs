using System.Buffers;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks credentials in HTTP-style headers, in any quoting a log gives them (<c>Authorization: Bearer …</c>,
/// <c>"authorization":"Basic …"</c>, <c>X-Api-Key=…</c>, <c>Cookie: …</c>), a bearer token anywhere, and a
/// <c>Basic</c> credential anywhere when it decodes to <c>user:password</c>. Values are masked to their end however
/// long they are (a bounded regex used to leave the tail of a value over 8 KiB in clear).
/// </summary>
internal static class CredentialHeaders
{
    private static readonly string[] AuthSchemes = ["bearer", "basic", "digest", "token", "negotiate", "ntlm", "apikey", "aws4-hmac-sha256", "sharedkey", "hmac", "dpop", "mac"];

    private static readonly string[] ApiKeyHeaderNames =
    [
        "x-api-key", "x-auth-token", "x-access-token", "x-amz-security-token", "private-token", "x-vault-token",
        "ocp-apim-subscription-key", "x-goog-api-key", "x-csrf-token", "x-xsrf-token", "x-functions-key",
        "x-figma-token", "x-shopify-access-token", "x-postmark-server-token", "x-hub-signature", "x-hub-signature-256",
        "x-slack-signature", "x-gitlab-token", "x-api-token", "x-apikey", "api-key", "apikey",
    ];

    private static readonly SearchValues<string> Words = SearchValues.Create(
        ["authorization", "cookie", "bearer", "basic ", .. ApiKeyHeaderNames], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> HeaderNames = SearchValues.Create(ApiKeyHeaderNames, StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<char> LineEnds = SearchValues.Create("\r\n");
    private static readonly SearchValues<char> ValueEnds = SearchValues.Create(" \t\r\n\"',;");
    private static readonly SearchValues<char> BearerChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=");

    public static bool MayContain(string text) => text.AsSpan().ContainsAny(Words);

    public static string Redact(string text)
    {
        text = Headers(text, "authorization", allowEquals: true, Placeholders.Credentials, toLineEnd: true);
        text = Headers(text, "cookie", allowEquals: false, Placeholders.Cookie, toLineEnd: true);
        text = ApiKeyHeaders(text);
        text = Bearer(text);
        return Basic(text);
    }

    /// <summary>
    /// <c>name[quote] : [quote] [scheme ] value</c>: the value up to the end of the line (or its closing quote).
    /// A scheme word (Bearer, Basic…) is kept so the reader still sees which kind of credential it was.
    /// </summary>
    private static string Headers(string text, string name, bool allowEquals, string placeholder, bool toLineEnd)
    {
        var writer = new SpanWriter(text);
        for (var hit = Scan.IndexOf(text, name, 0, StringComparison.OrdinalIgnoreCase); hit >= 0; hit = Scan.IndexOf(text, name, hit + name.Length, StringComparison.OrdinalIgnoreCase))
        {
            var end = hit + name.Length;
            if ((hit > 0 && char.IsAsciiLetterOrDigit(text[hit - 1])) || (end < text.Length && char.IsAsciiLetterOrDigit(text[end])))
            {
                continue;
            }

            if (ValueStart(text, end, allowEquals) is not (var start, var quote))
            {
                continue;
            }

            start = SkipScheme(text, start);
            if (start >= text.Length || Scan.IsPlaceholderAt(text, start) || char.IsWhiteSpace(text[start]) || text[start] is '"' or '\'')
            {
                continue;
            }

            var stop = quote != '\0' ? QuotedEnd(text, start, quote) : toLineEnd ? Scan.IndexOfAny(text, start, LineEnds) : Scan.IndexOfAny(text, start, ValueEnds);
            stop = stop < 0 ? text.Length : stop;
            writer.Replace(start, stop, placeholder);
            hit = Math.Max(hit, stop - name.Length);
        }

        return writer.Finish();
    }

    private static string ApiKeyHeaders(string text)
    {
        var writer = new SpanWriter(text);
        for (var hit = Scan.IndexOfAny(text, 0, HeaderNames); hit >= 0; hit = Scan.IndexOfAny(text, hit + 1, HeaderNames))
        {
            // The longest name that matches here ("x-hub-signature-256" over "x-hub-signature").
            var name = ApiKeyHeaderNames.Where(n => text.AsSpan(hit).StartsWith(n, StringComparison.OrdinalIgnoreCase)).MaxBy(n => n.Length)!;
            var end = hit + name.Length;
            if ((hit > 0 && char.IsAsciiLetterOrDigit(text[hit - 1])) || (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '_')))
            {
                continue;
            }

            if (ValueStart(text, end, allowEquals: true) is not (var start, var quote) || start >= text.Length
                || Scan.IsPlaceholderAt(text, start) || char.IsWhiteSpace(text[start]))
            {
                continue;
            }

            var stop = quote != '\0' ? QuotedEnd(text, start, quote) : Scan.IndexOfAny(text, start, ValueEnds);
            stop = stop < 0 ? text.Length : stop;
            if (stop > start)
            {
                writer.Replace(start, stop, Placeholders.ApiKey);
                hit = stop - 1;
            }
        }

        return writer.Finish();
    }

    /// <summary><c>Bearer &lt;token&gt;</c> anywhere: 8 or more token characters after the word.</summary>
    private static string Bearer(string text)
    {
        var writer = new SpanWriter(text);
        for (var hit = Scan.IndexOf(text, "bearer", 0, StringComparison.OrdinalIgnoreCase); hit >= 0; hit = Scan.IndexOf(text, "bearer", hit + 6, StringComparison.OrdinalIgnoreCase))
        {
            if (hit > 0 && char.IsAsciiLetterOrDigit(text[hit - 1]))
            {
                continue;
            }

            var start = SkipBlanks(text, hit + 6, 1, 4);
            if (start < 0 || Scan.IsPlaceholderAt(text, start))
            {
                continue;
            }

            var end = Scan.RunEnd(text, start, BearerChars);
            if (end - start >= 8)
            {
                writer.Replace(start, end, Placeholders.Token);
                hit = end - 6;
            }
        }

        return writer.Finish();
    }

    /// <summary><c>Basic &lt;base64&gt;</c> anywhere, when the base64 decodes to <c>user:password</c> (so "basic usage" stays).</summary>
    private static string Basic(string text)
    {
        var writer = new SpanWriter(text);
        for (var hit = Scan.IndexOf(text, "basic ", 0, StringComparison.OrdinalIgnoreCase); hit >= 0; hit = Scan.IndexOf(text, "basic ", hit + 6, StringComparison.OrdinalIgnoreCase))
        {
            if (hit > 0 && char.IsAsciiLetterOrDigit(text[hit - 1]))
            {
                continue;
            }

            var start = SkipBlanks(text, hit + 5, 1, 4);
            if (start >= 0 && (text.AsSpan(start).StartsWith("auth ", StringComparison.OrdinalIgnoreCase) || text.AsSpan(start).StartsWith("credentials ", StringComparison.OrdinalIgnoreCase)))
            {
                start = SkipBlanks(text, text.IndexOf(' ', start), 1, 4); // "basic auth dXNlcjpw…"
            }

            if (start < 0)
            {
                continue;
            }

            var end = Scan.RunEnd(text, start, Scan.Base64);
            if (end - start >= 8 && DecodesToUserPassword(text.AsSpan(start, end - start)))
            {
                writer.Replace(start, end, Placeholders.Credentials);
                hit = end - 6;
            }
        }

        return writer.Finish();
    }

    private static bool DecodesToUserPassword(ReadOnlySpan<char> base64)
    {
        if (base64.Length > 4096)
        {
            return true; // far longer than a name and password, but only ever seen after "Basic ": mask it
        }

        Span<byte> bytes = stackalloc byte[base64.Length];
        var padded = base64.Length % 4 == 0 ? base64 : string.Concat(base64, new string('=', 4 - (base64.Length % 4))).AsSpan();
        if (!Convert.TryFromBase64Chars(padded, bytes, out var written))
        {
            return false;
        }

        var colon = bytes[..written].IndexOf((byte)':');
        return colon > 0 && colon < written - 1 && System.Text.Unicode.Utf8.IsValid(bytes[..written]);
    }

    /// <summary>After a header name: optional closing quote, blanks, ':' (or '=' when allowed), blanks, optional opening quote.</summary>
    private static (int Start, char Quote)? ValueStart(string text, int i, bool allowEquals)
    {
        if (i < text.Length && text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '"')
        {
            i++;
        }

        if (i < text.Length && text[i] is '"' or '\'')
        {
            i++;
        }

        i = SkipBlanks(text, i, 0, 4);
        if (i < 0 || !(text[i] == ':' || (allowEquals && text[i] == '=')))
        {
            return null;
        }

        i = SkipBlanks(text, i + 1, 0, 4);
        if (i < 0)
        {
            return null;
        }

        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '"')
        {
            return (i + 2, '\\');
        }

        return text[i] is '"' or '\'' ? (i + 1, text[i]) : (i, '\0');
    }

    private static int SkipScheme(string text, int start)
    {
        foreach (var scheme in AuthSchemes)
        {
            if (text.AsSpan(start).StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
                && SkipBlanks(text, start + scheme.Length, 1, 4) is var afterScheme and >= 0)
            {
                return afterScheme;
            }
        }

        return start;
    }

    /// <summary>The index after <paramref name="min"/>..<paramref name="max"/> spaces/tabs, or -1 (also at the end of the text).</summary>
    private static int SkipBlanks(string text, int i, int min, int max)
    {
        var n = 0;
        while (i < text.Length && text[i] is ' ' or '\t' && n < max)
        {
            i++;
            n++;
        }

        return n >= min && i < text.Length ? i : -1;
    }

    /// <summary>The closing quote (a backslash-escaped quote when <paramref name="quote"/> is '\\'), or the end of the line.</summary>
    private static int QuotedEnd(string text, int start, char quote)
    {
        var i = start;
        while (i < text.Length && text[i] is not ('\n' or '\r'))
        {
            if (quote == '\\' ? text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '"' : text[i] == quote)
            {
                break;
            }

            i += text[i] == '\\' && quote != '\\' && i + 1 < text.Length ? 2 : 1;
        }

        Scan.Count(i - start);
        return Math.Min(i, text.Length);
    }
}
