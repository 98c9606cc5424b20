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

    public static TokenKind Classify(ReadOnlySpan<char> token, MaskingProfile profile, out int keep)
    {
        keep = 0;
        if (token.Length > MaxConstantLength)
        {
            return TokenKind.Variable;
        }

        var firstDigit = token.IndexOfAnyInRange('0', '9');
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

        // A word in square brackets is usually a thread or component name ("[main]", "[scheduler]"): left to
        // the miner to judge, like any name, instead of splitting templates by thread.
        if (IsWord(core) && token[0] != '[')
        {
            return profile == MaskingProfile.Fingerprint && IsQuoted(token) ? TokenKind.Variable : TokenKind.Word;
        }

        return profile == MaskingProfile.Fingerprint && LooksLikeValue(token, core, out keep) ? TokenKind.Variable : TokenKind.Other;
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
            || IsHostName(core);
    }

    private static bool IsHostName(ReadOnlySpan<char> core)
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

        return HostSuffixLookup.Contains(core[(lastDot + 1)..]);
    }
}
