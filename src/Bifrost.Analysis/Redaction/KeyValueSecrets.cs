namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks the values of secret-looking keys in <c>key=value</c>, <c>key: value</c>, <c>key =&gt; value</c> and
/// JSON <c>"key": "value"</c> form. A hand-written scan: at each <c>=</c> or <c>:</c> it reads the key backwards
/// (at most <see cref="MaxKeyLength"/> characters) and the value forwards, so the time is linear in the input
/// whatever it contains. A key counts when it ends with a secret word (<c>db.password</c>, <c>access_token</c>,
/// <c>aws_secret_access_key</c>) so counters such as <c>token_count</c> or <c>max_tokens</c> stay visible.
/// </summary>
internal static class KeyValueSecrets
{
    private const int MaxKeyLength = 64;
    private const int MaxValueLength = 8192;

    // (key ending, placeholder); the first ending that matches wins, so longer endings come first.
    private static readonly (string Ending, string Placeholder)[] SecretKeys =
    [
        ("client_secret", Placeholders.Secret), ("client-secret", Placeholders.Secret), ("clientsecret", Placeholders.Secret),
        ("secret_access_key", Placeholders.Secret), ("secret_key", Placeholders.Secret), ("secret-key", Placeholders.Secret), ("secretkey", Placeholders.Secret),
        ("private_key", Placeholders.PrivateKey), ("private-key", Placeholders.PrivateKey), ("privatekey", Placeholders.PrivateKey),
        ("access_key", Placeholders.ApiKey), ("access-key", Placeholders.ApiKey), ("accesskey", Placeholders.ApiKey),
        ("api_key", Placeholders.ApiKey), ("api-key", Placeholders.ApiKey), ("apikey", Placeholders.ApiKey),
        ("auth_key", Placeholders.ApiKey), ("authkey", Placeholders.ApiKey),
        ("password", Placeholders.Password), ("passwd", Placeholders.Password), ("passphrase", Placeholders.Password), ("pwd", Placeholders.Password),
        ("secret", Placeholders.Secret), ("token", Placeholders.Token),
        ("credentials", Placeholders.Credentials), ("credential", Placeholders.Credentials),
        ("session_id", Placeholders.Token), ("sessionid", Placeholders.Token), ("signature", Placeholders.Token),
    ];

    // Keys that are secrets only when they are the whole key ("pass=", "sig=" in SAS URLs), not as an ending.
    private static readonly (string Key, string Placeholder)[] ExactKeys =
    [
        ("pass", Placeholders.Password), ("pw", Placeholders.Password), ("sig", Placeholders.Token),
    ];

    public static string Redact(string text)
    {
        System.Text.StringBuilder? builder = null;
        var copied = 0;
        for (var i = text.IndexOfAny([':', '=']); i >= 0 && i < text.Length; i = NextSeparator(text, i + 1))
        {
            var placeholder = SecretKeyBefore(text, i);
            if (placeholder is null)
            {
                continue;
            }

            var (valueStart, valueEnd, next) = ValueAfter(text, i);
            if (valueEnd <= valueStart || valueStart < copied || text.AsSpan(valueStart).StartsWith(Placeholders.RedactedPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            builder ??= new System.Text.StringBuilder(text.Length);
            builder.Append(text, copied, valueStart - copied).Append(placeholder);
            copied = valueEnd;
            i = next - 1;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static int NextSeparator(string text, int from) => from >= text.Length ? -1 : text.IndexOfAny([':', '='], from);

    /// <summary>The placeholder for the key that ends just before the separator at <paramref name="separator"/>, or null.</summary>
    private static string? SecretKeyBefore(string text, int separator)
    {
        var end = separator;
        if (text[separator] == '=' && end > 0 && text[end - 1] == '=')
        {
            return null; // "==" is a comparison, not an assignment
        }

        while (end > 0 && text[end - 1] is ' ' or '\t' && separator - end < 4)
        {
            end--;
        }

        if (end > 0 && text[end - 1] is '"' or '\'')
        {
            end--;
        }

        var start = end;
        while (start > 0 && end - start < MaxKeyLength && IsKeyChar(text[start - 1]))
        {
            start--;
        }

        if (start == end || (start > 0 && IsKeyChar(text[start - 1])))
        {
            return null;
        }

        var key = text.AsSpan(start, end - start);
        foreach (var (exact, placeholder) in ExactKeys)
        {
            if (key.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return placeholder;
            }
        }

        foreach (var (ending, placeholder) in SecretKeys)
        {
            if (key.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return placeholder;
            }
        }

        return null;
    }

    /// <summary>The value after the separator: a quoted string (JSON escapes honoured) or a run up to a delimiter.</summary>
    private static (int Start, int End, int Next) ValueAfter(string text, int separator)
    {
        var i = separator + 1;
        if (text[separator] == '=' && i < text.Length && text[i] == '>')
        {
            i++; // Ruby/PHP "key => value"
        }

        var spaces = 0;
        while (i < text.Length && text[i] is ' ' or '\t' && spaces++ < 4)
        {
            i++;
        }

        if (i >= text.Length)
        {
            return (i, i, i);
        }

        if (text[i] is '"' or '\'')
        {
            var quote = text[i];
            var start = i + 1;
            var j = start;
            while (j < text.Length && j - start < MaxValueLength && text[j] != quote && text[j] != '\n')
            {
                j += text[j] == '\\' && j + 1 < text.Length ? 2 : 1;
            }

            j = Math.Min(j, text.Length);
            return (start, j, j);
        }

        var end = i;
        while (end < text.Length && end - i < MaxValueLength && !IsValueDelimiter(text[end]))
        {
            end++;
        }

        return (i, end, end);
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private static bool IsValueDelimiter(char c) => char.IsWhiteSpace(c) || c is ',' or ';' or '&' or '"' or '\'' or '}' or ']' or ')' or '<' or '>';
}
