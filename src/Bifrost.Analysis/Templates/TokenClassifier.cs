namespace Bifrost.Analysis.Templates;

/// <summary>Decides whether one token is a word, a variable or something to judge later (<see cref="TokenKind"/>).</summary>
internal static class TokenClassifier
{
    private const string LeadingWrappers = "([{<'\"";
    private const string TrailingWrappers = ")]}>'\",.;:!?";

    // Month and weekday names are variables: they are how dates are written in syslog and ctime formats.
    private static readonly HashSet<string> CalendarNames = new(StringComparer.Ordinal)
    {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> CalendarLookup = CalendarNames.GetAlternateLookup<ReadOnlySpan<char>>();

    // Last labels that make a dotted token a host name rather than a code name like java.lang.Error.
    private static readonly HashSet<string> HostSuffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "com", "net", "org", "io", "edu", "gov", "mil", "int", "local", "localdomain", "lan", "internal", "intra",
        "corp", "cluster", "svc", "cloud", "dev", "app", "us", "uk", "de", "fr", "jp", "kr", "cn", "eu", "info", "biz",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> HostSuffixLookup = HostSuffixes.GetAlternateLookup<ReadOnlySpan<char>>();

    // Country-code top-level domains, for mining only. Codes that are also common file extensions or member
    // names (.py .sh .pl .so .md .rs .cc .in .am .ac .mk .ml .pt .ar .il .id .ai .io .it .is .do .me .to) are left
    // out: a dotted token ending in one of those is more often a file or a code name than a host.
    private static readonly HashSet<string> CountryCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "au", "br", "ca", "ch", "cz", "dk", "es", "fi", "gr", "hk", "hu", "ie", "mx", "nl", "no", "nz", "ro", "ru",
        "se", "sg", "tw", "ua", "za", "vn", "th", "tr", "cl", "co", "be", "at", "pk", "ir", "eg", "ng", "ke", "my",
        "ph", "ar", "pe", "by", "kz", "lt", "lv", "ee", "sk", "si", "hr", "rs", "bg", "om", "sa", "ae", "qa", "mo",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> CountryCodeLookup = CountryCodes.GetAlternateLookup<ReadOnlySpan<char>>();

    // Literal values that carry no digit: programs print booleans and nulls where a number would be.
    private static readonly HashSet<string> ValueWords = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "null", "nil" };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ValueWordLookup = ValueWords.GetAlternateLookup<ReadOnlySpan<char>>();

    // Words that introduce a name: the word after them is a user or host name, not message text
    // ("session opened for user cyrus"). Names are the one common kind of parameter without digits.
    private static readonly HashSet<string> NameKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "user", "username", "account", "host", "hostname",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NameKeywordLookup = NameKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    // Units of sizes and durations belong to the number in front of them ("5.2 KB" vs "93.0 B").
    private static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "kB", "bytes", "byte",
        "ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hours",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> UnitLookup = Units.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True when <paramref name="token"/> is a unit of size or time (trailing punctuation ignored).</summary>
    public static bool IsUnit(ReadOnlySpan<char> token) => UnitLookup.Contains(Core(token));

    /// <summary>True when <paramref name="token"/> introduces a name (see <see cref="NameKeywords"/>).</summary>
    public static bool IsNameKeyword(ReadOnlySpan<char> token) => NameKeywordLookup.Contains(token);

    /// <summary>Longer tokens are data (base64, blobs, long paths), never message text; masking them also keeps
    /// a template's size bounded whatever the input.</summary>
    public const int MaxConstantLength = 96;

    public static TokenKind Classify(ReadOnlySpan<char> token, MaskingProfile profile, out int keep) =>
        Classify(token, profile, MiningRules.Default, out keep);

    public static TokenKind Classify(ReadOnlySpan<char> token, MaskingProfile profile, MiningRules rules, out int keep)
    {
        keep = 0;
        if (token.Length > MaxConstantLength)
        {
            return TokenKind.Variable;
        }

        // One vectorised scan decides whether any rule beyond "plain word" can apply: most tokens are plain words.
        var notable = token.ContainsAny(Notable);
        var mining = profile == MaskingProfile.Mining;
        if (notable && mining && (rules & MiningRules.QuotedValues) != 0 && QuotedValueKeyLength(token) is >= 0 and var quotedKey)
        {
            keep = quotedKey;
            return TokenKind.Variable;
        }

        var firstDigit = notable ? token.IndexOfAnyInRange('0', '9') : -1;
        if (firstDigit >= 0)
        {
            keep = KeyPrefixLength(token, firstDigit, profile);
            return TokenKind.Variable;
        }

        var core = Core(token);
        if (IsCalendarName(core))
        {
            return TokenKind.Variable;
        }

        if (mining && MaskedByRule(token, core, notable, rules, out keep))
        {
            return TokenKind.Variable;
        }

        // A word in square brackets is usually a thread or component name ("[main]", "[scheduler]"): left to
        // the miner to judge, like any name, instead of splitting templates by thread.
        if (IsWord(core) && (token[0] != '[' || (mining && (rules & MiningRules.BracketedNames) == 0)))
        {
            return profile == MaskingProfile.Fingerprint && IsQuoted(token) ? TokenKind.Variable : TokenKind.Word;
        }

        return profile == MaskingProfile.Fingerprint && LooksLikeValue(token, core, out keep) ? TokenKind.Variable : TokenKind.Other;
    }

    /// <summary>The mining rules that make a token without a digit a value (see <see cref="MiningRules"/>).</summary>
    private static bool MaskedByRule(ReadOnlySpan<char> token, ReadOnlySpan<char> core, bool notable, MiningRules rules, out int keep)
    {
        keep = 0;
        if ((rules & MiningRules.ValueWords) != 0 && IsValueWord(core))
        {
            return true;
        }

        if (!notable)
        {
            return false;
        }

        if ((rules & MiningRules.KeyValues) != 0 && KeyValueKeyLength(token) is > 0 and var key)
        {
            keep = key;
            return true;
        }

        return (rules & MiningRules.HostNames) != 0 && IsHostName(core, withCountryCodes: true);
    }

    /// <summary>
    /// Length of a <c>key=</c>, <c>key:</c> or <c>label.....</c> prefix in front of the first digit, kept literal
    /// so <c>uid=0</c> and <c>pid=0</c> stay different templates. The key must contain a letter outside a-f so
    /// the octets of <c>FF:F2:9F:...</c> or an IPv6 address are not mistaken for one. Fingerprints keep only
    /// <c>key=</c>: there <c>host:port</c> is far more common than <c>key:value</c>, and hosts must not count.
    /// </summary>
    private static int KeyPrefixLength(ReadOnlySpan<char> token, int firstDigit, MaskingProfile profile)
    {
        var colonIsKey = profile == MaskingProfile.Mining;
        for (var j = firstDigit - 1; j >= 1; j--)
        {
            var c = token[j];
            if (c == '=' || (c == '.' && token[j - 1] == '.'))
            {
                return HasNonHexLetter(token[..j]) ? j + 1 : 0;
            }

            if (c == ':' && colonIsKey)
            {
                // "host.example.com:443" and "/path:12" are addresses, not keys.
                return HasNonHexLetter(token[..j]) && token[..j].IndexOfAny('.', '/') < 0 ? j + 1 : 0;
            }
        }

        return 0;
    }

    /// <summary>Characters without which no rule but "plain word" and "value word" applies: digits, <c>=</c>,
    /// quotes and dots.</summary>
    private static readonly System.Buffers.SearchValues<char> Notable = System.Buffers.SearchValues.Create("0123456789=\"'.");

    private static bool IsValueWord(ReadOnlySpan<char> core) =>
        core.Length is 3 or 4 or 5 && (core[0] | 0x20) is 't' or 'f' or 'n' && ValueWordLookup.Contains(core);

    /// <summary>
    /// Length of the key of a <c>key=value</c> token whose value has no digit (<c>name=com.android.systemui,</c>
    /// → 5), or 0 when the token is not one: no <c>=</c>, an empty key or value (<c>ruser=</c> stays literal), or
    /// an operator (<c>==</c>).
    /// </summary>
    private static int KeyValueKeyLength(ReadOnlySpan<char> token)
    {
        var equals = token.IndexOf('=');
        if (equals <= 0 || !HasLetter(token[..equals]))
        {
            return 0;
        }

        var value = Core(token[(equals + 1)..]);
        return value.IsEmpty || value[0] == '=' ? 0 : equals + 1;
    }

    /// <summary>
    /// For a quoted value (<c>tag="View Lock",</c>, <c>name:'syslogd'</c>): the length of the <c>key=</c> or
    /// <c>key:</c> in front of the opening quote; -1 when the token is not one (no quote right after a key, or no
    /// closing quote at its end).
    /// </summary>
    internal static int QuotedValueKeyLength(ReadOnlySpan<char> token)
    {
        var open = OpeningQuote(token);
        if (open < 0)
        {
            return -1;
        }

        var end = token.Length;
        while (end > open + 1 && TrailingWrappers.Contains(token[end - 1]) && token[end - 1] != token[open])
        {
            end--;
        }

        return end > open + 1 && token[end - 1] == token[open] ? open : -1;
    }

    /// <summary>Index of the quote that opens a quoted value: the character after a <c>key=</c>/<c>key:</c> prefix;
    /// -1 when there is none. A quoted string standing alone is left to the miner: it is as often message text
    /// (an HTTP request line <c>"GET /path HTTP/1.1"</c>, whose method tells templates apart) as a value.</summary>
    internal static int OpeningQuote(ReadOnlySpan<char> token)
    {
        var at = token.IndexOfAny('"', '\'');
        if (at < 2 || token[at - 1] is not ('=' or ':'))
        {
            return -1;
        }

        return at;
    }

    private static bool HasLetter(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasNonHexLetter(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLetter(c) && !char.IsAsciiHexDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The token without wrapping brackets/quotes and trailing punctuation.</summary>
    private static ReadOnlySpan<char> Core(ReadOnlySpan<char> token)
    {
        var start = 0;
        while (start < token.Length && LeadingWrappers.Contains(token[start]))
        {
            start++;
        }

        var end = token.Length;
        while (end > start && TrailingWrappers.Contains(token[end - 1]))
        {
            end--;
        }

        return token[start..end];
    }

    private static bool IsCalendarName(ReadOnlySpan<char> core) =>
        core.Length is 3 or 4 && char.IsAsciiLetterUpper(core[0]) && CalendarLookup.Contains(core);

    /// <summary>Letters, with inner hyphens or apostrophes (<c>non-ethernet</c>, <c>Couldn't</c>); at least two.</summary>
    private static bool IsWord(ReadOnlySpan<char> core)
    {
        if (core.Length < 2 || !char.IsLetter(core[0]) || !char.IsLetter(core[^1]))
        {
            return false;
        }

        foreach (var c in core)
        {
            if (!char.IsLetter(c) && c != '-' && c != '\'')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsQuoted(ReadOnlySpan<char> token) => token.Length >= 2 && token[0] is '\'' or '"' or '`';

    /// <summary>For fingerprints: paths, URLs, e-mail addresses, host names, quoted text and <c>key=value</c> values.</summary>
    private static bool LooksLikeValue(ReadOnlySpan<char> token, ReadOnlySpan<char> core, out int keep)
    {
        keep = 0;
        var equals = token.IndexOf('=');
        if (equals > 0 && equals < token.Length - 1)
        {
            keep = equals + 1;
            return true;
        }

        return IsQuoted(token)
            || core.ContainsAny('/', '\\', '@')
            || IsHostName(core, withCountryCodes: false);
    }

    /// <summary>Dotted labels of letters, digits and hyphens ending in a known top-level domain; for mining also
    /// common country codes (fingerprints keep the shorter list they have always had, so stored fingerprints stay valid).</summary>
    private static bool IsHostName(ReadOnlySpan<char> core, bool withCountryCodes)
    {
        var lastDot = core.LastIndexOf('.');
        if (lastDot <= 0 || lastDot == core.Length - 1)
        {
            return false;
        }

        foreach (var c in core)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '.' && c != '-')
            {
                return false;
            }
        }

        var suffix = core[(lastDot + 1)..];
        return HostSuffixLookup.Contains(suffix) || (withCountryCodes && CountryCodeLookup.Contains(suffix));
    }
}
