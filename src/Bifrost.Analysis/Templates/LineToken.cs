namespace Bifrost.Analysis.Templates;

/// <summary>One whitespace-separated token of a line, by position (no substring is allocated).</summary>
/// <param name="Start">Offset of the token in the line.</param>
/// <param name="Length">Length of the original token (for a collapsed run of variables: the whole run).</param>
/// <param name="Kind">How the token is treated.</param>
/// <param name="KeepLength">For <see cref="TokenKind.Variable"/>: how many leading characters (a <c>key=</c>
/// prefix) stay literal in front of <c>&lt;*&gt;</c>.</param>
public readonly record struct LineToken(int Start, int Length, TokenKind Kind, int KeepLength)
{
    public const string Wildcard = "<*>";

    /// <summary>The token as it appears in a template.</summary>
    public string ToTemplateText(string line) => Kind == TokenKind.Variable
        ? string.Concat(line.AsSpan(Start, KeepLength), Wildcard)
        : line.Substring(Start, Length);

    /// <summary>True when this token, written as template text, equals <paramref name="text"/>.</summary>
    public bool TemplateTextEquals(string line, string text)
    {
        if (Kind != TokenKind.Variable)
        {
            return line.AsSpan(Start, Length).SequenceEqual(text);
        }

        return text.Length == KeepLength + Wildcard.Length
            && text.AsSpan(KeepLength).SequenceEqual(Wildcard)
            && line.AsSpan(Start, KeepLength).SequenceEqual(text.AsSpan(0, KeepLength));
    }
}
