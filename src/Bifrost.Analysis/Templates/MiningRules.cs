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

    /// <summary>The shipped configuration: every rule on (<see cref="UnitsAfterNumbers"/> only matters for
    /// ablations, <see cref="Quantities"/> supersedes it).</summary>
    Default = WordConflicts | NamesAfterKeywords | UnitsAfterNumbers | BracketedNames | Quantities | ValueWords
        | QuotedValues | KeyValues | HostNames | TypedParameters,
}
