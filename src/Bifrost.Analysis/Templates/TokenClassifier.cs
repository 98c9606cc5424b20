using System.Collections.Frozen;

namespace Bifrost.Analysis.Templates;

/// <summary>Decides whether one token is a word, a variable or something to judge later (<see cref="TokenKind"/>).</summary>
internal static class TokenClassifier
{
    private const string TrailingWrappers = ")]}>'\",.;:!?";


    // Last labels that make a dotted token a host name rather than a code name like java.lang.Error.
    private static readonly FrozenSet<string> HostSuffixes = FrozenSet.ToFrozenSet(
    [
        "com", "net", "org", "io", "edu", "gov", "mil", "int", "local", "localdomain", "lan", "internal", "intra",
        "corp", "cluster", "svc", "cloud", "dev", "app", "us", "uk", "de", "fr", "jp", "kr", "cn", "eu", "info", "biz",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> HostSuffixLookup = HostSuffixes.GetAlternateLookup<ReadOnlySpan<char>>();

    // Country-code top-level domains, for mining only. Codes that are also common file extensions or member
    // names (.py .sh .pl .so .md .rs .cc .in .am .ac .mk .ml .pt .ar .il .id .ai .io .it .is .do .me .to) are left
    // out: a dotted token ending in one of those is more often a file or a code name than a host.
    private static readonly FrozenSet<string> CountryCodes = FrozenSet.ToFrozenSet(
    [
        "au", "br", "ca", "ch", "cz", "dk", "es", "fi", "gr", "hk", "hu", "ie", "mx", "nl", "no", "nz", "ro", "ru",
        "se", "sg", "tw", "ua", "za", "vn", "th", "tr", "cl", "co", "be", "at", "pk", "ir", "eg", "ng", "ke", "my",
        "ph", "ar", "pe", "by", "kz", "lt", "lv", "ee", "sk", "si", "hr", "rs", "bg", "om", "sa", "ae", "qa", "mo",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CountryCodeLookup = CountryCodes.GetAlternateLookup<ReadOnlySpan<char>>();


    // Words that introduce a name: the word after them is a user or host name, not message text
    // ("session opened for user cyrus"). Names are the one common kind of parameter without digits.
    private static readonly FrozenSet<string> NameKeywords = FrozenSet.ToFrozenSet(
    [
        "user", "username", "account", "host", "hostname",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NameKeywordLookup = NameKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    // Units of sizes and durations belong to the number in front of them ("5.2 KB" vs "93.0 B").
    private static readonly FrozenSet<string> Units = FrozenSet.ToFrozenSet(
    [
        "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "kB", "bytes", "byte",
        "ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hours",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> UnitLookup = Units.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True when <paramref name="token"/> is a unit of size or time (trailing punctuation ignored).</summary>
    public static bool IsUnit(ReadOnlySpan<char> token) => token.Length <= 12 && UnitLookup.Contains(Core(token));

    /// <summary>True when <paramref name="token"/> introduces a name (see <see cref="NameKeywords"/>).</summary>
    public static bool IsNameKeyword(ReadOnlySpan<char> token) =>
        token.Length is >= 4 and <= 8 && (token[0] | 0x20) is 'u' or 'h' or 'a' && NameKeywordLookup.Contains(token);

    /// <summary>Longer tokens are data (base64, blobs, long paths), never message text; masking them also keeps
    /// a template's size bounded whatever the input.</summary>
    public const int MaxConstantLength = 96;

    public static TokenKind Classify(ReadOnlySpan<char> token, MaskingProfile profile, out int keep) =>
        Classify(token, CharClasses.Of(token), profile, MiningRules.Default, out keep);

    public static TokenKind Classify(ReadOnlySpan<char> token, MaskingProfile profile, MiningRules rules, out int keep) =>
        Classify(token, CharClasses.Of(token), profile, rules, out keep);

    /// <summary>Classifies a token whose character classes (<paramref name="classes"/>) are already known: each rule is
    /// tried only when the token has the characters it needs.</summary>
    public static TokenKind Classify(ReadOnlySpan<char> token, CharClass classes, MaskingProfile profile, MiningRules rules, out int keep)
    {
        keep = 0;
        if (token.Length > MaxConstantLength)
        {
            return TokenKind.Variable;
        }

        var mining = profile == MaskingProfile.Mining;
        if ((classes & ~CharClass.Letter) == 0)
        {
            return LettersOnlyKind(token, mining, rules);
        }

        var notable = (classes & CharClass.Notable) != 0;
        if ((classes & CharClass.Quote) != 0 && mining && (rules & MiningRules.QuotedValues) != 0 && QuotedValueKeyLength(token) is >= 0 and var quotedKey)
        {
            keep = quotedKey;
            return TokenKind.Variable;
        }

        if ((classes & CharClass.Digit) != 0)
        {
            keep = KeyPrefixLength(token, token.IndexOfAnyInRange('0', '9'), profile);
            return TokenKind.Variable;
        }

        var core = Core(token);
        if (IsCalendarName(core))
        {
            return TokenKind.Variable;
        }

        if (mining && (rules & MiningRules.EnumConstants) != 0 && (classes & (CharClass.Underscore | CharClass.Upper)) == (CharClass.Underscore | CharClass.Upper)
            && IsEnumConstant(token, core))
        {
            return TokenKind.Word;
        }

        if (mining && MaskedByRule(token, core, notable, classes, rules, out keep))
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

    /// <summary>True for the marks <see cref="Core"/> strips from a token's end.</summary>
    public static bool IsTrailingPunctuation(char c) => c < 128 && (CharClasses.Ascii[c] & CharClasses.TrailingMark) != 0;

    /// <summary>A token of ASCII letters only, the common case: a word, unless it is a month/weekday name or a literal
    /// value; a single letter is judged by comparison.</summary>
    public static TokenKind LettersOnlyKind(ReadOnlySpan<char> token, bool mining, MiningRules rules)
    {
        if (IsCalendarName(token) || (mining && (rules & MiningRules.ValueWords) != 0 && IsValueWord(token)))
        {
            return TokenKind.Variable;
        }

        return token.Length >= 2 ? TokenKind.Word : TokenKind.Other;
    }

    /// <summary>The mining rules that make a token without a digit a value (see <see cref="MiningRules"/>).</summary>
    private static bool MaskedByRule(ReadOnlySpan<char> token, ReadOnlySpan<char> core, bool notable, CharClass classes, MiningRules rules, out int keep)
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

        if ((classes & CharClass.Equals) != 0 && (rules & MiningRules.KeyValues) != 0 && KeyValueKeyLength(token) is > 0 and var key)
        {
            keep = key;
            return true;
        }

        return (classes & CharClass.Dot) != 0 && (rules & MiningRules.HostNames) != 0 && IsHostName(core, withCountryCodes: true);
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

    /// <summary>Literal values that carry no digit: programs print booleans and nulls where a number would be.</summary>
    private static bool IsValueWord(ReadOnlySpan<char> core) => core.Length is >= 3 and <= 5 && (core[0] | 0x20) is 't' or 'f' or 'n' && core.Length switch
    {
        // true, false, null, nil compared directly (no set look-up): this runs on most words of every line.
        3 => core.Equals("nil", StringComparison.OrdinalIgnoreCase),
        4 => core.Equals("true", StringComparison.OrdinalIgnoreCase) || core.Equals("null", StringComparison.OrdinalIgnoreCase),
        5 => core.Equals("false", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

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
    internal static ReadOnlySpan<char> Core(ReadOnlySpan<char> token)
    {
        var start = 0;
        while (start < token.Length && token[start] is '(' or '[' or '{' or '<' or '\'' or '"')
        {
            start++;
        }

        var end = token.Length;
        while (end > start && IsTrailingPunctuation(token[end - 1]))
        {
            end--;
        }

        return token[start..end];
    }

    /// <summary>Month and weekday names are variables: they are how dates are written in syslog and ctime formats
    /// (Jan ... Dec, Sept, Mon ... Sun).</summary>
    private static bool IsCalendarName(ReadOnlySpan<char> core)
    {
        if (core.Length != 3)
        {
            return core.Length == 4 && core.SequenceEqual("Sept");
        }

        // The three letters packed into one number: a switch instead of a set look-up, since this runs on most words.
        if ((core[0] | core[1] | core[2]) > 0x7F)
        {
            return false;
        }

        return (core[0] << 16 | core[1] << 8 | core[2]) switch
        {
            'J' << 16 | 'a' << 8 | 'n' or 'F' << 16 | 'e' << 8 | 'b' or 'M' << 16 | 'a' << 8 | 'r' or 'A' << 16 | 'p' << 8 | 'r'
                or 'M' << 16 | 'a' << 8 | 'y' or 'J' << 16 | 'u' << 8 | 'n' or 'J' << 16 | 'u' << 8 | 'l' or 'A' << 16 | 'u' << 8 | 'g'
                or 'S' << 16 | 'e' << 8 | 'p' or 'O' << 16 | 'c' << 8 | 't' or 'N' << 16 | 'o' << 8 | 'v' or 'D' << 16 | 'e' << 8 | 'c'
                or 'M' << 16 | 'o' << 8 | 'n' or 'T' << 16 | 'u' << 8 | 'e' or 'W' << 16 | 'e' << 8 | 'd' or 'T' << 16 | 'h' << 8 | 'u'
                or 'F' << 16 | 'r' << 8 | 'i' or 'S' << 16 | 'a' << 8 | 't' or 'S' << 16 | 'u' << 8 | 'n' => true,
            _ => false,
        };
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>
    /// An enum constant: upper-case letters with at least one underscore (<c>TIME_TICK</c>), also at the end of a dotted
    /// name of letters (<c>android.intent.action.SCREEN_ON</c>) or as the value of <c>key=</c>/<c>key:</c> (<c>action=ACTION_DOWN,</c>).
    /// </summary>
    internal static bool IsEnumConstant(ReadOnlySpan<char> token, ReadOnlySpan<char> core)
    {
        var key = token.IndexOfAny('=', ':');
        if (key > 0 && !token[..key].ContainsAnyExcept(AsciiLetters))
        {
            core = Core(token[(key + 1)..]);
        }

        var dot = core.LastIndexOf('.');
        var name = core[(dot + 1)..];
        if (name.Length < 3 || name.IndexOf('_') < 0 || !char.IsAsciiLetterUpper(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterUpper(c) && c != '_')
            {
                return false;
            }
        }

        foreach (var c in core[..(dot + 1)])
        {
            if (!char.IsAsciiLetter(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A code identifier naming a function or method: letters and underscores, maybe <c>::</c> scopes, maybe followed by
    /// <c>()</c> and a colon (<c>mDNS_DeregisterInterface:</c>, <c>insertHiHealthData()</c>, <c>CCFile::captureLogRun()</c>),
    /// and not a plain word. Paths, dotted names and hosts are not identifiers.
    /// </summary>
    internal static bool IsCodeIdentifier(ReadOnlySpan<char> token)
    {
        var end = token.Length;
        if (end > 0 && token[end - 1] == ':')
        {
            end--;
        }

        if (end >= 2 && token[end - 2] == '(' && token[end - 1] == ')')
        {
            end -= 2;
        }

        var name = token[..end];
        if (name.IsEmpty || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetter(c) && c != '_' && c != ':')
            {
                return false;
            }
        }

        return true;
    }

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
