namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Decides whether a key name (<c>DB_PASS</c>, <c>aws_secret_access_key</c>, <c>clientSecret</c>, <c>--password</c>,
/// <c>AccountKey</c>, <c>x-api-key</c>) names a secret, by its words: the name is split at <c>_ - .</c>, spaces
/// and camelCase, and its last word (with the one before it for "… key") decides. So any spelling of a secret
/// name counts, while counters and metadata about secrets (<c>token_count</c>, <c>max_tokens</c>,
/// <c>password_policy</c>, <c>secret_name</c>, <c>key_id</c>) do not. Public so structured fields (request
/// metadata) are judged by the same rule as <c>key=value</c> text.
/// </summary>
public static class SecretKeyNames
{
    /// <summary>How sure the name alone is: strong names mask any value; weak ones only a credential-looking value.</summary>
    public enum Strength
    {
        None,
        Weak,
        Strong,
    }

    // Last word → placeholder. Compounds written as one word ("PGPASSWORD", "clientsecret") are matched by ending.
    private static readonly (string Ending, string Placeholder)[] Endings =
    [
        ("password", Placeholders.Password), ("passwd", Placeholders.Password), ("passphrase", Placeholders.Password),
        ("passcode", Placeholders.Password), ("secret", Placeholders.Secret), ("token", Placeholders.Token),
        ("credentials", Placeholders.Credentials), ("credential", Placeholders.Credentials),
        ("apikey", Placeholders.ApiKey), ("accesskey", Placeholders.ApiKey), ("secretkey", Placeholders.Secret),
        ("privatekey", Placeholders.PrivateKey), ("accountkey", Placeholders.ApiKey), ("masterkey", Placeholders.Secret),
        ("signingkey", Placeholders.Secret), ("encryptionkey", Placeholders.Secret), ("authkey", Placeholders.ApiKey),
        ("sessionid", Placeholders.Token), ("sessid", Placeholders.Token), ("signature", Placeholders.Token),
    ];

    // Whole last words only (too short or too common to match as an ending: "bypass", "wpw", "monkey").
    private static readonly (string Word, string Placeholder)[] Words =
    [
        ("pass", Placeholders.Password), ("pwd", Placeholders.Password), ("pw", Placeholders.Password),
        ("creds", Placeholders.Credentials), ("sig", Placeholders.Token), ("sas", Placeholders.Token),
        ("psk", Placeholders.Secret), ("jwt", Placeholders.Jwt),
    ];

    // "… key" is a secret only after one of these ("api key", "access key"; not "primary key", "routing key").
    private static readonly Dictionary<string, string> KeyQualifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["api"] = Placeholders.ApiKey, ["access"] = Placeholders.ApiKey, ["secret"] = Placeholders.Secret,
        ["private"] = Placeholders.PrivateKey, ["account"] = Placeholders.ApiKey, ["auth"] = Placeholders.ApiKey,
        ["master"] = Placeholders.Secret, ["encryption"] = Placeholders.Secret, ["signing"] = Placeholders.Secret,
        ["client"] = Placeholders.Secret, ["app"] = Placeholders.Secret, ["license"] = Placeholders.ApiKey,
        ["subscription"] = Placeholders.ApiKey, ["shared"] = Placeholders.Secret, ["storage"] = Placeholders.ApiKey,
        ["service"] = Placeholders.ApiKey, ["admin"] = Placeholders.ApiKey, ["root"] = Placeholders.Secret,
        ["ssh"] = Placeholders.PrivateKey, ["gpg"] = Placeholders.PrivateKey, ["pgp"] = Placeholders.PrivateKey,
        ["hmac"] = Placeholders.Secret, ["jwt"] = Placeholders.Secret, ["session"] = Placeholders.Secret,
        ["aes"] = Placeholders.Secret, ["crypt"] = Placeholders.Secret, ["cipher"] = Placeholders.Secret,
        ["webhook"] = Placeholders.Secret, ["consumer"] = Placeholders.Secret, ["write"] = Placeholders.ApiKey,
        ["ingest"] = Placeholders.ApiKey, ["deploy"] = Placeholders.ApiKey, ["server"] = Placeholders.ApiKey,
        ["sas"] = Placeholders.Token, ["x"] = Placeholders.ApiKey, ["secure"] = Placeholders.Secret,
    };

    // Words that, as the last word, say the value is about a secret rather than the secret itself.
    private static readonly HashSet<string> MetaWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "name", "type", "count", "length", "size", "policy", "ttl", "expiry", "expires", "expired", "expiration",
        "hash", "file", "path", "url", "uri", "endpoint", "ref", "version", "format", "prefix", "hint", "set", "present",
        "required", "enabled", "rotation", "age", "store", "provider", "source", "mode", "field", "header", "len",
    };

    /// <summary>The placeholder for a value under <paramref name="key"/>, or null when the key is not a secret's name.</summary>
    public static string? PlaceholderFor(ReadOnlySpan<char> key) => Classify(key).Placeholder;

    public static (Strength Strength, string? Placeholder) Classify(ReadOnlySpan<char> key)
    {
        Span<Range> words = stackalloc Range[16];
        var count = SplitWords(key, words);
        if (count == 0)
        {
            return (Strength.None, null);
        }

        var last = key[words[count - 1]];
        if (MetaWords.Contains(last.ToString()))
        {
            // "session_id" / "session-id" are the session token itself; other "…_id" are identifiers.
            return count >= 2 && last.Equals("id", StringComparison.OrdinalIgnoreCase) && key[words[count - 2]].Equals("session", StringComparison.OrdinalIgnoreCase)
                ? (Strength.Strong, Placeholders.Token)
                : (Strength.None, null);
        }

        if (last.Equals("key", StringComparison.OrdinalIgnoreCase) || last.Equals("keys", StringComparison.OrdinalIgnoreCase))
        {
            // "aws_secret_access_key" is a secret key whatever stands between; else the word before decides.
            for (var i = 0; i < count - 1; i++)
            {
                if (key[words[i]].Equals("secret", StringComparison.OrdinalIgnoreCase))
                {
                    return (Strength.Strong, Placeholders.Secret);
                }
            }

            return count >= 2 && KeyQualifiers.TryGetValue(key[words[count - 2]].ToString(), out var keyPlaceholder)
                ? (Strength.Strong, keyPlaceholder)
                : (Strength.None, null);
        }

        foreach (var (word, placeholder) in Words)
        {
            if (last.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return (Strength.Strong, placeholder);
            }
        }

        foreach (var (ending, placeholder) in Endings)
        {
            if (last.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return (Strength.Strong, placeholder);
            }
        }

        // A secret word earlier in the name ("SECRET_KEY_BASE", "password_salt"): a secret when the value looks like one.
        for (var i = 0; i < count - 1; i++)
        {
            var word = key[words[i]];
            if (word.Equals("secret", StringComparison.OrdinalIgnoreCase) || word.Equals("password", StringComparison.OrdinalIgnoreCase)
                || word.Equals("passwd", StringComparison.OrdinalIgnoreCase) || word.Equals("token", StringComparison.OrdinalIgnoreCase)
                || word.Equals("apikey", StringComparison.OrdinalIgnoreCase) || word.Equals("credentials", StringComparison.OrdinalIgnoreCase))
            {
                return (Strength.Weak, Placeholders.Secret);
            }
        }

        // Names that are secrets only when the value looks like one ("auth=…", "session=…", "cookie: …").
        if (last.Equals("auth", StringComparison.OrdinalIgnoreCase) || last.Equals("session", StringComparison.OrdinalIgnoreCase)
            || last.Equals("cookie", StringComparison.OrdinalIgnoreCase))
        {
            return (Strength.Weak, Placeholders.Token);
        }

        return (Strength.None, null);
    }

    /// <summary>Splits at non-alphanumerics and lower→upper case changes ("dbPassword" → db, Password); at most <c>words.Length</c>, keeping the last ones.</summary>
    private static int SplitWords(ReadOnlySpan<char> key, Span<Range> words)
    {
        var count = 0;
        var start = -1;
        for (var i = 0; i <= key.Length; i++)
        {
            var c = i < key.Length ? key[i] : '\0';
            var isWordChar = char.IsLetterOrDigit(c);
            var boundary = !isWordChar || (start >= 0 && i > start && char.IsUpper(c) && char.IsLower(key[i - 1]));
            if (boundary && start >= 0)
            {
                if (count == words.Length)
                {
                    words[1..].CopyTo(words);
                    count--;
                }

                words[count++] = new Range(start, i);
                start = -1;
            }

            if (isWordChar && start < 0)
            {
                start = i;
            }
        }

        return count;
    }
}
