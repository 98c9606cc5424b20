using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    internal static int Tokenize(string line, Span<LineToken> tokens, MaskingProfile profile, MiningRules rules) =>
        Tokenize(line, tokens, profile, rules, out _);

    /// <summary>As <see cref="Tokenize(string, Span{LineToken}, MaskingProfile)"/>; <paramref name="lineClasses"/> tells
    /// which kinds of characters the line's tokens hold (so callers can skip work that needs, say, an <c>=</c>).</summary>
    internal static int Tokenize(string line, Span<LineToken> tokens, MaskingProfile profile, MiningRules rules, out CharClass lineClasses)
    {
        var mining = profile == MaskingProfile.Mining;
        var classifyRules = mining ? rules : MiningRules.Default;
        var chars = line.AsSpan();
        ref var table = ref MemoryMarshal.GetArrayDataReference(CharClasses.Ascii); // 128 entries, indexed by c < 128 only
        var count = 0;
        var i = 0;
        var previousIntroducesName = false;
        int run = 0, longestRun = 0;
        lineClasses = CharClass.None;
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

            // One pass finds the token's end and what kinds of characters it holds.
            var start = i;
            int classes = 0, allButLast = 0;
            while (i < chars.Length)
            {
                var c = chars[i];
                if (c < 128)
                {
                    var bits = Unsafe.Add(ref table, c);
                    if (bits == CharClasses.Space)
                    {
                        break;
                    }

                    allButLast = classes;
                    classes |= bits & ~CharClasses.TrailingMark;
                }
                else if (c >= '\u0085' && char.IsWhiteSpace(c))
                {
                    break;
                }
                else
                {
                    allButLast = classes;
                    classes |= (int)CharClass.Other;
                }

                i++;
            }

            var charClass = (CharClass)classes;
            if (mining && (rules & MiningRules.QuotedValues) != 0 && (charClass & CharClass.Quote) != 0)
            {
                var end = QuotedSpanEnd(line, start, i);
                if (end != i)
                {
                    charClass |= CharClasses.Of(line.AsSpan(i, end - i));
                    i = end;
                }
            }

            if (count == MaxTokens - 1)
            {
                tokens[count++] = new LineToken(start, line.Length - start, TokenKind.Variable, 0);
                break;
            }

            var text = line.AsSpan(start, i - start);
            lineClasses |= charClass;
            TokenKind kind;
            var keep = 0;
            if ((charClass & ~CharClass.Letter) == 0 && text.Length <= TokenClassifier.MaxConstantLength)
            {
                // Letters only, most tokens: decided here without the full classifier.
                kind = TokenClassifier.LettersOnlyKind(text, mining, classifyRules);
            }
            else if (((CharClass)allButLast & ~CharClass.Letter) == 0 && TokenClassifier.IsTrailingPunctuation(text[^1])
                && text.Length <= TokenClassifier.MaxConstantLength && allButLast != 0)
            {
                // Letters and one closing mark ("failed:", "done,", "state."): judged as the letters alone, as the
                // full classifier would after stripping the mark.
                kind = TokenClassifier.LettersOnlyKind(text[..^1], mining, classifyRules);
            }
            else
            {
                kind = TokenClassifier.Classify(text, charClass, profile, classifyRules, out keep);
            }

            if (kind != TokenKind.Variable && count > 0)
            {
                var previous = tokens[count - 1];
                if (previous.Kind == TokenKind.Variable && TokenClassifier.IsUnit(text))
                {
                    if (mining && (rules & MiningRules.Quantities) != 0)
                    {
                        // "5.2 KB", "<1 sec": the unit joins its number, so a quantity is one position however it is spelled.
                        var quantity = previous with { Length = i - previous.Start };
                        if ((rules & MiningRules.RestatedQuantities) != 0 && count >= 2 && IsRestatement(line, tokens[count - 2], quantity))
                        {
                            // "1190 bytes (1.16 KB)": the bracketed quantity restates the one before it.
                            tokens[count - 2] = tokens[count - 2] with { Length = i - tokens[count - 2].Start };
                            count--;
                        }
                        else
                        {
                            tokens[count - 1] = quantity;
                        }

                        continue;
                    }

                    if (!mining || (rules & MiningRules.UnitsAfterNumbers) != 0)
                    {
                        kind = TokenKind.Variable;
                        keep = 0;
                    }
                }
                else if (previous.Kind != TokenKind.Variable && previousIntroducesName && (!mining || (rules & MiningRules.NamesAfterKeywords) != 0))
                {
                    kind = TokenKind.Variable;
                    keep = 0;
                }
            }

            if (count == 0 && kind == TokenKind.Other && mining && (rules & MiningRules.IdentifierFirstTokens) != 0 && TokenClassifier.IsCodeIdentifier(text))
            {
                kind = TokenKind.Word;
            }

            previousIntroducesName = (charClass & ~CharClass.Letter) == 0 && TokenClassifier.IsNameKeyword(text);
            tokens[count++] = new LineToken(start, i - start, kind, keep);

            // Joins above only shorten runs, so this over-counts: the collapse pass runs whenever a run may need it.
            run = kind == TokenKind.Variable && keep == 0 ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
        }

        return longestRun >= MinRunToCollapse ? CollapseVariableRuns(tokens[..count]) : count;
    }

    /// <summary>True when <paramref name="bracketed"/> is a quantity in brackets (<c>(1.16 KB)</c>) right after a
    /// quantity with its unit (<paramref name="quantity"/>, <c>1190 bytes</c>).</summary>
    private static bool IsRestatement(string line, in LineToken quantity, in LineToken bracketed)
    {
        if (quantity is not { Kind: TokenKind.Variable, KeepLength: 0 } || line[bracketed.Start] != '(')
        {
            return false;
        }

        var inner = line.AsSpan(bracketed.Start, bracketed.Length).TrimEnd(",.;:");
        return inner.Length > 2 && inner[^1] == ')' && line.AsSpan(quantity.Start, quantity.Length).Contains(' ');
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

    /// <summary>
    /// Hash of the line's masked shape for the miner's in-process shape cache: the same tokens as
    /// <see cref="TemplateHash"/> (a variable counts as its kept prefix), but eight bytes at a time instead of one
    /// character, since it runs on every line. Not for anything stored: use <see cref="TemplateHash"/> for that.
    /// </summary>
    internal static ulong ShapeHash(string line, ReadOnlySpan<LineToken> tokens)
    {
        var hash = 0x9E3779B97F4A7C15UL;
        foreach (ref readonly var token in tokens)
        {
            var variable = token.Kind == TokenKind.Variable;
            var text = line.AsSpan(token.Start, variable ? token.KeepLength : token.Length);
            // The token's length and kind go in with its last (partial) eight bytes: one mix per eight bytes of text.
            var tail = ((ulong)(uint)text.Length << 48) ^ (variable ? 1UL << 63 : 0);
            var bytes = MemoryMarshal.AsBytes(text);
            while (bytes.Length > 8)
            {
                hash = Mix(hash, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes));
                bytes = bytes[8..];
            }

            if (bytes.Length == 8)
            {
                hash = Mix(hash, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            }
            else
            {
                // At most three chars left: packed into the low 48 bits, under the length and kind.
                for (var b = 0; b < bytes.Length; b += 2)
                {
                    tail |= (ulong)System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(bytes[b..]) << (b * 8);
                }
            }

            hash = Mix(hash, tail);
        }

        return hash ^ (hash >> 31);
    }

    private static ulong Mix(ulong hash, ulong value)
    {
        hash = (hash ^ value) * 0xBF58476D1CE4E5B9UL;
        return hash ^ (hash >> 29);
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
