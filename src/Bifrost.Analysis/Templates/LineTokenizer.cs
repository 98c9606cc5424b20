namespace Bifrost.Analysis.Templates;

/// <summary>
/// Splits a line into whitespace-separated tokens and classifies each one (<see cref="TokenKind"/>), with a
/// hand-written scanner: no regular expression, no allocation, linear time, so the miner's front end runs at
/// millions of lines per second and cannot backtrack on hostile input.
/// </summary>
public static class LineTokenizer
{
    /// <summary>Tokens kept per line. Beyond this the rest of the line is one variable: it bounds the work
    /// on a 10 MB line, and a template with hundreds of tokens is a data dump, not a message.</summary>
    public const int MaxTokens = 256;

    /// <summary>Runs of at least this many plain variables collapse into one (see <see cref="CollapseVariableRuns"/>).</summary>
    private const int MinRunToCollapse = 3;

    /// <summary>Fills <paramref name="tokens"/> (at least <see cref="MaxTokens"/> long) and returns the count.
    /// Runs of three or more plain variables are collapsed into one, so lists of numbers or a date such as
    /// <c>Fri Jun 17 07:07:00 2005</c> do not change a line's token count.</summary>
    public static int Tokenize(string line, Span<LineToken> tokens, MaskingProfile profile)
    {
        var count = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSpace(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && !IsSpace(line[i]))
            {
                i++;
            }

            if (count == MaxTokens - 1)
            {
                tokens[count++] = new LineToken(start, line.Length - start, TokenKind.Variable, 0);
                break;
            }

            var kind = TokenClassifier.Classify(line.AsSpan(start, i - start), profile, out var keep);
            if (kind != TokenKind.Variable && count > 0 && IsValueByPosition(line, tokens[count - 1], line.AsSpan(start, i - start)))
            {
                kind = TokenKind.Variable;
                keep = 0;
            }

            tokens[count++] = new LineToken(start, i - start, kind, keep);
        }

        return CollapseVariableRuns(tokens[..count]);
    }

    /// <summary>
    /// Replaces every run of <see cref="MinRunToCollapse"/> or more plain variables by one variable spanning
    /// the run, so a list of ids or a spelled-out date does not change the token count. Shorter runs stay:
    /// "IP (host)" must keep two positions, or a line with an empty "()" would no longer line up with it.
    /// </summary>
    private static int CollapseVariableRuns(Span<LineToken> tokens)
    {
        var write = 0;
        for (var read = 0; read < tokens.Length;)
        {
            var end = read;
            while (end < tokens.Length && tokens[end] is { Kind: TokenKind.Variable, KeepLength: 0 })
            {
                end++;
            }

            if (end - read >= MinRunToCollapse)
            {
                var first = tokens[read];
                var last = tokens[end - 1];
                tokens[write++] = first with { Length = last.Start + last.Length - first.Start };
                read = end;
            }
            else
            {
                tokens[write++] = tokens[read++];
            }
        }

        return write;
    }

    /// <summary>The line's template text with every variable masked (used for fingerprints and examples).</summary>
    public static string ToTemplate(string line, ReadOnlySpan<LineToken> tokens)
    {
        var builder = new System.Text.StringBuilder(line.Length);
        foreach (var token in tokens)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            if (token.Kind == TokenKind.Variable)
            {
                builder.Append(line.AsSpan(token.Start, token.KeepLength)).Append(LineToken.Wildcard);
            }
            else
            {
                builder.Append(line.AsSpan(token.Start, token.Length));
            }
        }

        return builder.ToString();
    }

    /// <summary>A name after "user"/"host", or the unit after a number: values, though they have no digit.</summary>
    private static bool IsValueByPosition(string line, in LineToken previous, ReadOnlySpan<char> token) =>
        previous.Kind == TokenKind.Variable
            ? TokenClassifier.IsUnit(token)
            : TokenClassifier.IsNameKeyword(line.AsSpan(previous.Start, previous.Length));

    private static bool IsSpace(char c) => c <= ' ' || (c >= '\u0085' && char.IsWhiteSpace(c));
}
