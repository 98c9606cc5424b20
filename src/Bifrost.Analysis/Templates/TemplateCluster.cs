namespace Bifrost.Analysis.Templates;

/// <summary>One template and the lines it has absorbed. Mutated only under the miner's lock.</summary>
internal sealed class TemplateCluster
{
    public TemplateCluster(long id, string[] tokens, TokenKind[] kinds, long count, ulong bucketKey)
    {
        Id = id;
        Tokens = tokens;
        Kinds = kinds;
        Count = count;
        BucketKey = bucketKey;
        Template = string.Join(' ', tokens);
        Recency = new LinkedListNode<TemplateCluster>(this);
    }

    public long Id { get; }
    public string[] Tokens { get; }
    public TokenKind[] Kinds { get; }
    public long Count { get; set; }
    public ulong BucketKey { get; }
    public string Template { get; private set; }
    public LinkedListNode<TemplateCluster> Recency { get; }

    /// <summary>Masked-shape hashes that lead straight here (see the miner's shape cache).</summary>
    public List<ulong> Shapes { get; } = [];

    public const int MaxShapes = 8;

    /// <summary>
    /// Share of the template's non-parameter positions the line agrees with, or -1 when the line cannot belong
    /// here: a different first token (Drain's tree split), two different words in one position, or (with
    /// <see cref="MiningRules.TypedParameters"/>) a word where the template has a parameter.
    /// </summary>
    public double Similarity(string line, ReadOnlySpan<LineToken> tokens, MiningRules rules = MiningRules.Default)
    {
        if (tokens.Length != Tokens.Length)
        {
            return -1;
        }

        var wordConflicts = (rules & MiningRules.WordConflicts) != 0;
        var typedParameters = (rules & MiningRules.TypedParameters) != 0;
        int constants = 0, agreeing = 0;
        for (var p = 0; p < tokens.Length; p++)
        {
            var text = Tokens[p];
            if (ReferenceEquals(text, LineToken.Wildcard))
            {
                if (typedParameters && p > 0 && tokens[p].Kind == TokenKind.Word && Kinds[p] != TokenKind.Word)
                {
                    return -1;
                }

                continue;
            }

            constants++;
            if (tokens[p].TemplateTextEquals(line, text))
            {
                agreeing++;
            }
            else if ((p == 0 && (Kinds[0] != TokenKind.Other || tokens[0].Kind != TokenKind.Other))
                || (wordConflicts && (IsConstant(p) || tokens[p].Kind == TokenKind.Word))
                || DifferentKeys(text, line, tokens[p]))
            {
                return -1;
            }
        }

        return constants == 0 ? 1 : (double)agreeing / constants;
    }

    /// <summary>
    /// Word positions are the message text and never become parameters; a line with anything else there
    /// belongs to another template. This is what keeps "from NEW to UNASSIGNED" apart from
    /// "from RUNNING to SUCCESS_CONTAINER_CLEANUP" even after the latter has generalised.
    /// </summary>
    private bool IsConstant(int position) => Kinds[position] == TokenKind.Word;

    /// <summary>Two <c>key=&lt;*&gt;</c> variables with different keys (<c>(uid=</c> vs <c>LOGIN(uid=</c>): the keys are message text.</summary>
    private static bool DifferentKeys(string templateText, string line, in LineToken token) =>
        token is { Kind: TokenKind.Variable, KeepLength: > 0 }
        && templateText.Length > LineToken.Wildcard.Length
        && templateText.EndsWith(LineToken.Wildcard, StringComparison.Ordinal);

    /// <summary>
    /// The position of the one word in which the line differs from this template when it agrees with it
    /// everywhere else (both are words there, and the template's word is a constant); -1 otherwise.
    /// </summary>
    public int SingleWordDifference(string line, ReadOnlySpan<LineToken> tokens, MiningRules rules)
    {
        if (tokens.Length != Tokens.Length)
        {
            return -1;
        }

        var typedParameters = (rules & MiningRules.TypedParameters) != 0;
        var at = -1;
        for (var p = 0; p < tokens.Length; p++)
        {
            var text = Tokens[p];
            if (ReferenceEquals(text, LineToken.Wildcard))
            {
                if (typedParameters && p > 0 && tokens[p].Kind == TokenKind.Word && Kinds[p] != TokenKind.Word)
                {
                    return -1;
                }
            }
            else if (!tokens[p].TemplateTextEquals(line, text))
            {
                if (at >= 0 || p == 0 || Kinds[p] != TokenKind.Word || tokens[p].Kind != TokenKind.Word)
                {
                    return -1;
                }

                at = p;
            }
        }

        return at;
    }

    /// <summary>Makes a word position a parameter that holds words (see <see cref="TemplateMinerOptions.WordParameterValues"/>).</summary>
    public void MakeWordParameter(int position)
    {
        Tokens[position] = LineToken.Wildcard;
        Kinds[position] = TokenKind.Word;
        Template = string.Join(' ', Tokens);
    }

    /// <summary>True when the line fits the template as it is (no position would change).</summary>
    public bool Matches(string line, ReadOnlySpan<LineToken> tokens)
    {
        if (tokens.Length != Tokens.Length)
        {
            return false;
        }

        for (var p = 0; p < tokens.Length; p++)
        {
            if (!ReferenceEquals(Tokens[p], LineToken.Wildcard) && !tokens[p].TemplateTextEquals(line, Tokens[p]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Turns every position where the line disagrees into a parameter. Returns true if the template changed.</summary>
    public bool Generalize(string line, ReadOnlySpan<LineToken> tokens)
    {
        var changed = false;
        for (var p = 0; p < tokens.Length; p++)
        {
            if (!ReferenceEquals(Tokens[p], LineToken.Wildcard) && !tokens[p].TemplateTextEquals(line, Tokens[p]))
            {
                Tokens[p] = LineToken.Wildcard;
                Kinds[p] = p == 0 ? Kinds[p] : TokenKind.Variable; // the first position keeps its class: it decides the bucket
                changed = true;
            }
        }

        if (changed)
        {
            Template = string.Join(' ', Tokens);
        }

        return changed;
    }

    /// <summary>True when every line of <paramref name="other"/> would match this template.</summary>
    public bool Subsumes(TemplateCluster other)
    {
        if (other.Tokens.Length != Tokens.Length)
        {
            return false;
        }

        for (var p = 0; p < Tokens.Length; p++)
        {
            if (!ReferenceEquals(Tokens[p], LineToken.Wildcard) && !string.Equals(Tokens[p], other.Tokens[p], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
