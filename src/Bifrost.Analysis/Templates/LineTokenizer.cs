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
    public static int Tokenize(string line, Span<LineToken> tokens, MaskingProfile profile) =>
        Tokenize(line, tokens, profile, MiningRules.Default);

    internal static int Tokenize(string line, Span<LineToken> tokens, MaskingProfile profile, MiningRules rules)
    {
        var mining = profile == MaskingProfile.Mining;
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

            if (mining && (rules & MiningRules.QuotedValues) != 0)
            {
                i = QuotedSpanEnd(line, start, i);
            }

            if (count == MaxTokens - 1)
            {
                tokens[count++] = new LineToken(start, line.Length - start, TokenKind.Variable, 0);
                break;
            }

            var text = line.AsSpan(start, i - start);
            var kind = TokenClassifier.Classify(text, profile, mining ? rules : MiningRules.Default, out var keep);
            if (kind != TokenKind.Variable && count > 0)
            {
                var previous = tokens[count - 1];
                if (previous.Kind == TokenKind.Variable && TokenClassifier.IsUnit(text))
                {
                    if (mining && (rules & MiningRules.Quantities) != 0)
                    {
                        // "5.2 KB", "<1 sec": the unit joins its number, so a quantity is one position however it is spelled.
                        tokens[count - 1] = previous with { Length = i - previous.Start };
                        continue;
                    }

                    if (!mining || (rules & MiningRules.UnitsAfterNumbers) != 0)
                    {
                        kind = TokenKind.Variable;
                        keep = 0;
                    }
                }
                else if (previous.Kind != TokenKind.Variable && (!mining || (rules & MiningRules.NamesAfterKeywords) != 0)
                    && TokenClassifier.IsNameKeyword(line.AsSpan(previous.Start, previous.Length)))
                {
                    kind = TokenKind.Variable;
                    keep = 0;
                }
            }

            tokens[count++] = new LineToken(start, i - start, kind, keep);
        }

        return CollapseVariableRuns(tokens[..count]);
    }

    /// <summary>Longest quoted value kept as one token; beyond it the quote is treated as unbalanced.</summary>
    private const int MaxQuotedLength = 160;

    /// <summary>
    /// Where the token starting at <paramref name="start"/> ends when it opens a quoted value that a space splits
    /// (<c>tag="View Lock",</c>): after the closing quote and any trailing punctuation, if that quote is followed by
    /// a space or the end of the line within <see cref="MaxQuotedLength"/> characters; otherwise
    /// <paramref name="end"/> (an unbalanced quote changes nothing).
    /// </summary>
    private static int QuotedSpanEnd(string line, int start, int end)
    {
        var token = line.AsSpan(start, end - start);
        var open = TokenClassifier.OpeningQuote(token);
        if (open < 0 || token[^1] == token[open] || TokenClassifier.QuotedValueKeyLength(token) >= 0)
        {
            return end;
        }

        var quote = token[open];
        var limit = Math.Min(line.Length, start + MaxQuotedLength);
        var close = line.AsSpan(end, limit - end).IndexOf(quote);
        if (close < 0)
        {
            return end;
        }

        var after = end + close + 1;
        while (after < line.Length && !IsSpace(line[after]))
        {
            if (!")]}>,.;:!?".Contains(line[after]))
            {
                return end;
            }

            after++;
        }

        return after;
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

    /// <summary>
    /// FNV-1a hash of the line's template text, each token followed by a space: lines with the same masked shape
    /// hash alike. The miner's shape cache and <see cref="TemplateFingerprint"/> both use it, so they agree on
    /// what "the same shape" means.
    /// </summary>
    internal static ulong TemplateHash(string line, ReadOnlySpan<LineToken> tokens)
    {
        var hash = Fnv.Offset;
        foreach (ref readonly var token in tokens)
        {
            hash = Fnv.Append(Fnv.AppendToken(hash, line, token), ' ');
        }

        return hash;
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

    private static bool IsSpace(char c) => c <= ' ' || (c >= '\u0085' && char.IsWhiteSpace(c));
}
