namespace Bifrost.Analysis.Templates;

/// <summary>
/// What kinds of characters a token holds, collected in the same pass that finds where the token ends, so each rule
/// can tell from a bit test whether it can apply at all: most tokens are plain words and skip every rule but one.
/// </summary>
[Flags]
internal enum CharClass : ushort
{
    None = 0,
    Lower = 1 << 0,
    Upper = 1 << 1,
    Digit = 1 << 2,
    Equals = 1 << 3,
    Quote = 1 << 4,
    Dot = 1 << 5,
    Underscore = 1 << 6,

    /// <summary>Anything else: punctuation, brackets, symbols, and every character outside ASCII.</summary>
    Other = 1 << 7,

    Letter = Lower | Upper,

    /// <summary>The characters without which no rule but "plain word" and "value word" applies (digits, <c>=</c>,
    /// quotes, dots).</summary>
    Notable = Digit | Equals | Quote | Dot,
}

/// <summary>Classes of ASCII characters by table look-up; whitespace is marked so the scan can stop on it.</summary>
internal static class CharClasses
{
    /// <summary>Marks a whitespace character in <see cref="Ascii"/> (not a class a token can have).</summary>
    public const ushort Space = 1 << 15;

    /// <summary>Marks a closing mark a token's core is stripped of (<c>)]}&gt;'",.;:!?</c>); not a token class.</summary>
    public const ushort TrailingMark = 1 << 14;

    public static readonly ushort[] Ascii = Build();

    /// <summary>The classes of a whole token (used where a token was not produced by the tokenizer's own scan).</summary>
    public static CharClass Of(ReadOnlySpan<char> token)
    {
        var classes = 0;
        var table = Ascii;
        foreach (var c in token)
        {
            classes |= c < 128 ? table[c] : (int)CharClass.Other;
        }

        return (CharClass)(classes & ~(Space | TrailingMark));
    }

    private static ushort[] Build()
    {
        var table = new ushort[128];
        for (var c = 0; c < 128; c++)
        {
            table[c] = c switch
            {
                <= ' ' => Space,
                >= 'a' and <= 'z' => (ushort)CharClass.Lower,
                >= 'A' and <= 'Z' => (ushort)CharClass.Upper,
                >= '0' and <= '9' => (ushort)CharClass.Digit,
                '=' => (ushort)CharClass.Equals,
                '"' or '\'' => (ushort)CharClass.Quote,
                '.' => (ushort)CharClass.Dot,
                '_' => (ushort)CharClass.Underscore,
                _ => (ushort)CharClass.Other,
            };
        }

        foreach (var c in ")]}>'\",.;:!?")
        {
            table[c] |= TrailingMark;
        }

        return table;
    }
}
