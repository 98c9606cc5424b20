namespace Bifrost.Analysis.Templates;

/// <summary>
/// The miner's rules beyond Drain's "compare tokens, mask what has a digit", as switches. They exist so the
/// bench can ablate each one and choose among them by leave-one-system-out (<c>loghub-loso</c>); the product
/// always runs <see cref="Default"/>, one configuration for every log. Each rule is a general token type or a
/// structural fact about log messages, not a pattern for one system.
/// </summary>
[Flags]
internal enum MiningRules
{
    None = 0,

    /// <summary>Two different plain words in one position never merge: words are message text.</summary>
    WordConflicts = 1 << 0,

    /// <summary>The word after <c>user</c>/<c>host</c>/<c>account</c> is a name, hence a value.</summary>
    NamesAfterKeywords = 1 << 1,

    /// <summary>A unit after a number is a value of its own (<c>5.2 KB</c> → two values). Superseded by
    /// <see cref="Quantities"/> when both are on.</summary>
    UnitsAfterNumbers = 1 << 2,

    /// <summary>A word in square brackets (<c>[main]</c>) is a thread or component name, judged by comparison.</summary>
    BracketedNames = 1 << 3,

    /// <summary>A number and its unit are one value: <c>5.2 KB</c>, <c>&lt;1 sec</c> and <c>00:01</c> all take one
    /// position, so how a quantity is spelled does not change a line's token count.</summary>
    Quantities = 1 << 4,

    /// <summary>Literal values without digits (<c>true</c>, <c>false</c>, <c>null</c>, <c>nil</c>) are values.</summary>
    ValueWords = 1 << 5,

    /// <summary>A quoted value after a key is one token even with spaces inside (<c>tag="View Lock"</c>), and a value.</summary>
    QuotedValues = 1 << 6,

    /// <summary>The value of <c>key=value</c> is a value even without a digit; the key stays literal.</summary>
    KeyValues = 1 << 7,

    /// <summary>A domain name (<c>proxy.cs.example.edu.hk</c>, <c>www.example.com</c>) is a value.</summary>
    HostNames = 1 << 8,

    /// <summary>A parameter position never takes a plain word: <c>open through proxy &lt;*&gt; SOCKS5</c> (masked for its
    /// digit) does not swallow <c>... HTTPS</c>, whichever of the two came first.</summary>
    TypedParameters = 1 << 9,

    /// <summary>A quantity restated in other units in brackets right after it is the same value: <c>1190 bytes (1.16 KB)</c>
    /// takes the one position <c>0 bytes</c> takes (proxy and transfer logs, <c>df</c>/<c>free</c>-style sizes, GC logs).
    /// Needs <see cref="Quantities"/>.</summary>
    RestatedQuantities = 1 << 10,

    /// <summary>Enum constants are message text, like words: <c>SUCCESS_CONTAINER_CLEANUP</c>, <c>TIME_TICK</c>, a dotted
    /// name ending in one (<c>android.intent.action.SCREEN_ON</c>) and the value of <c>key=ACTION_DOWN</c>. Upper-case
    /// names with underscores are how programs print states, actions and error codes, which tell messages apart.</summary>
    EnumConstants = 1 << 11,

    /// <summary>A first token that is a code identifier (<c>mDNS_DeregisterInterface:</c>, <c>insertHiHealthData()</c>,
    /// <c>CCFile::captureLog</c>) names the message like a word does; only name-like first tokens (paths, dotted names,
    /// <c>chrome.exe</c>) are bucketed by their class.</summary>
    IdentifierFirstTokens = 1 << 12,

    /// <summary>A word seen as the value of a key (<c>user=uucp</c>) is a value wherever it appears later
    /// (<c>Failed password for uucp from ...</c>): the same user, host or service is named across a session's
    /// messages, once with its key and elsewhere bare (sshd/PAM/su/sudo/FTP logs). Learned from <c>key=word</c> only,
    /// applied to lines that start a new shape.</summary>
    LearnedValues = 1 << 13,

    /// <summary>The shipped configuration: every rule on (<see cref="UnitsAfterNumbers"/> only matters for
    /// ablations, <see cref="Quantities"/> supersedes it).</summary>
    Default = WordConflicts | NamesAfterKeywords | UnitsAfterNumbers | BracketedNames | Quantities | ValueWords
        | QuotedValues | KeyValues | HostNames | TypedParameters | RestatedQuantities | EnumConstants | IdentifierFirstTokens | LearnedValues,
}
