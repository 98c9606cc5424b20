namespace Bifrost.Analysis.Templates;

/// <summary>
/// Words the miner has seen as the value of a key (<c>user=uucp</c>, <see cref="MiningRules.LearnedValues"/>), so that the
/// same word standing bare in another message (<c>Failed password for uucp from ...</c>) is read as a value too.
/// Bounded; used only under the miner's lock.
/// </summary>
internal sealed class LearnedValues
{
    /// <summary>Values kept; once full, nothing more is learned (memory stays bounded whatever the input).</summary>
    public const int Capacity = 4096;

    private const int MaxValueLength = 32;

    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public LearnedValues() => _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _values.Count;

    /// <summary>Remembers the plain-word values of the line's <c>key=value</c> tokens.</summary>
    public void Learn(string line, ReadOnlySpan<LineToken> tokens)
    {
        foreach (ref readonly var token in tokens)
        {
            if (token is not { Kind: TokenKind.Variable, KeepLength: > 1 } || line[token.Start + token.KeepLength - 1] != '=')
            {
                continue;
            }

            var value = TokenClassifier.Core(line.AsSpan(token.Start + token.KeepLength, token.Length - token.KeepLength));
            if (value.Length is >= 2 and <= MaxValueLength && !value.ContainsAnyExcept(Letters)
                && _values.Count < Capacity && !_lookup.Contains(value))
            {
                _values.Add(value.ToString());
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="tokens"/> into <paramref name="into"/> with every word (after the first position) that is a
    /// learned value turned into a parameter; false, and <paramref name="into"/> untouched, when there is none.
    /// </summary>
    public bool Apply(string line, ReadOnlySpan<LineToken> tokens, Span<LineToken> into)
    {
        if (_values.Count == 0)
        {
            return false;
        }

        var changed = false;
        for (var p = 1; p < tokens.Length; p++)
        {
            var token = tokens[p];
            if (token.Kind == TokenKind.Word && _lookup.Contains(TokenClassifier.Core(line.AsSpan(token.Start, token.Length))))
            {
                if (!changed)
                {
                    tokens.CopyTo(into);
                    changed = true;
                }

                into[p] = token with { Kind = TokenKind.Variable, KeepLength = 0 };
            }
        }

        return changed;
    }

    private static readonly System.Buffers.SearchValues<char> Letters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}
