namespace Bifrost.Analysis.Templates;

/// <summary>
/// Online log template miner of the Drain family (He et al., ICWS 2017; logpai/Drain3), changed where Drain
/// loses accuracy:
/// <list type="bullet">
/// <item>Masking is by token class, not by a list of regexes: anything with a digit, month and weekday names are
/// parameters up front, runs of them collapse into one (so a date or a list of numbers does not change the
/// token count), and a <c>key=</c> prefix stays literal.</item>
/// <item>Two different plain words in one position never merge ("VM Started" vs "VM Paused", "as bytes" vs
/// "as values"): in real logs words are the message text, parameters nearly always carry a digit or punctuation.</item>
/// <item>Similarity is measured over the template's constant positions only, so heavily masked lines are not
/// judged by how many parameters they happen to have.</item>
/// <item>When a template generalises, templates it now covers are merged into it (reported in
/// <see cref="MiningResult.Absorbed"/>).</item>
/// </list>
/// Templates are found by token count and first token (Drain's tree, flattened into one hash lookup; a first
/// token that is a name rather than a word, like <c>chrome.exe</c>, is bucketed by its class only), and lines
/// already seen in the same masked shape skip the search entirely. Memory is bounded by
/// <see cref="TemplateMinerOptions.MaxClusters"/> with least-recently-used eviction. Thread-safe: tokenising runs
/// outside the lock, only the table update inside it. No clock, no randomness: the same lines in the same order
/// give the same templates and ids.
/// </summary>
public sealed class TemplateMiner
{
    private static readonly long[] NoneAbsorbed = [];

    /// <summary>A template with at most this many lines is rare enough for its word to count as evidence of a
    /// word parameter (<see cref="TemplateMinerOptions.WordParameterValues"/>).</summary>
    private const int RareTemplateLines = 2;

    // Lines starting with a name-like token (program.exe, a path, a dotted class) share one bucket per length:
    // that first token is as often a parameter as a constant, so it must not split templates by itself.
    private static readonly ulong OtherFirstToken = Fnv.Append(Fnv.Offset, "\u0001other");

    private readonly Lock _gate = new();
    private readonly TemplateMinerOptions _options;
    private readonly Dictionary<ulong, List<TemplateCluster>> _buckets = [];
    private readonly Dictionary<ulong, TemplateCluster> _shapes = [];
    private readonly LinkedList<TemplateCluster> _recency = new();
    private long _nextId = 1;

    public TemplateMiner(TemplateMinerOptions? options = null)
    {
        _options = options ?? new TemplateMinerOptions();
        if (_options.MaxClusters < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxClusters must be at least 1.");
        }
    }

    /// <summary>Restores a miner saved with <see cref="Snapshot"/>.</summary>
    public TemplateMiner(TemplateMinerSnapshot snapshot, TemplateMinerOptions? options = null)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Version != TemplateMinerSnapshot.CurrentVersion)
        {
            throw new ArgumentException($"Unsupported template snapshot version {snapshot.Version}.", nameof(snapshot));
        }

        _nextId = snapshot.NextId;
        foreach (var saved in snapshot.Clusters)
        {
            if (saved.Tokens.Count != saved.Kinds.Count)
            {
                throw new ArgumentException($"Template {saved.Id} has {saved.Tokens.Count} tokens but {saved.Kinds.Count} kinds.", nameof(snapshot));
            }

            // The wildcard is compared by reference on the hot path: restore the shared instance.
            var tokens = saved.Tokens.Select(t => t == LineToken.Wildcard ? LineToken.Wildcard : t).ToArray();
            var key = tokens.Length == 0 ? BucketKey(0, Fnv.Offset) : BucketKey(tokens.Length, saved.Kinds[0], Fnv.Append(Fnv.Offset, tokens[0]));
            Insert(new TemplateCluster(saved.Id, tokens, [.. saved.Kinds], saved.Count, key));
            _nextId = Math.Max(_nextId, saved.Id + 1);
        }

        EvictOverCapacity();
    }

    /// <summary>Number of templates currently held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _recency.Count;
            }
        }
    }

    /// <summary>Assigns one line (a message, without a timestamp/level prefix if the caller can strip it) to a template.</summary>
    public MiningResult Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Span<LineToken> buffer = stackalloc LineToken[LineTokenizer.MaxTokens];
        var tokens = buffer[..LineTokenizer.Tokenize(line, buffer, MaskingProfile.Mining, _options.Rules)];
        var shape = LineTokenizer.TemplateHash(line, tokens);
        var bucketKey = tokens.IsEmpty ? BucketKey(0, Fnv.Offset) : BucketKey(tokens.Length, tokens[0].Kind, Fnv.AppendToken(Fnv.Offset, line, tokens[0]));
        lock (_gate)
        {
            return AddLocked(line, tokens, shape, bucketKey);
        }
    }

    /// <summary>Templates currently held, most frequent first.</summary>
    public IReadOnlyList<TemplateInfo> Templates()
    {
        lock (_gate)
        {
            return [.. _recency.Select(c => new TemplateInfo(c.Id, c.Template, c.Count)).OrderByDescending(t => t.Count).ThenBy(t => t.Id)];
        }
    }

    /// <summary>The whole state as data; restore it with <see cref="TemplateMiner(TemplateMinerSnapshot, TemplateMinerOptions?)"/>.</summary>
    public TemplateMinerSnapshot Snapshot()
    {
        lock (_gate)
        {
            // Least recently used first, so restoring in order rebuilds the same eviction order.
            var clusters = new List<TemplateClusterSnapshot>(_recency.Count);
            for (var node = _recency.Last; node is not null; node = node.Previous)
            {
                var c = node.Value;
                clusters.Add(new TemplateClusterSnapshot(c.Id, [.. c.Tokens], [.. c.Kinds], c.Count));
            }

            return new TemplateMinerSnapshot(TemplateMinerSnapshot.CurrentVersion, _nextId, clusters);
        }
    }

    private MiningResult AddLocked(string line, ReadOnlySpan<LineToken> tokens, ulong shape, ulong bucketKey)
    {
        // Most lines repeat a masked shape already seen: one dictionary probe instead of a bucket scan.
        if (_shapes.TryGetValue(shape, out var known) && known.Matches(line, tokens))
        {
            return Touch(known, TemplateChange.None, NoneAbsorbed);
        }

        if (!_buckets.TryGetValue(bucketKey, out var bucket))
        {
            bucket = [];
            _buckets.Add(bucketKey, bucket);
        }

        TemplateCluster? best = null;
        var bestSimilarity = -1.0;
        foreach (var candidate in bucket)
        {
            var similarity = candidate.Similarity(line, tokens, _options.Rules);
            if (similarity > bestSimilarity || (similarity == bestSimilarity && similarity >= 0 && candidate.Count > best!.Count))
            {
                best = candidate;
                bestSimilarity = similarity;
            }
        }

        TemplateCluster target;
        TemplateChange change;
        var absorbed = NoneAbsorbed;
        if (best is not null && bestSimilarity >= _options.SimilarityThreshold)
        {
            target = best;
            change = best.Generalize(line, tokens) ? TemplateChange.Generalized : TemplateChange.None;
            if (change == TemplateChange.Generalized)
            {
                absorbed = AbsorbCovered(bucket, best);
            }
        }
        else if (WordParameterSurvivor(bucket, line, tokens) is { } survivor)
        {
            target = survivor;
            survivor.Generalize(line, tokens);
            change = TemplateChange.Generalized;
            absorbed = AbsorbCovered(bucket, survivor);
        }
        else
        {
            target = Create(line, tokens, bucketKey);
            change = TemplateChange.Created;
            Insert(target);
        }

        RememberShape(shape, target);
        var result = Touch(target, change, absorbed);
        EvictOverCapacity();
        return result;
    }

    /// <summary>
    /// When the line is the same message as enough templates of its bucket but for the word in one position
    /// (<see cref="TemplateMinerOptions.WordParameterValues"/> different words there, the line's included), the
    /// most used of those templates turns that position into a word parameter and is returned; the caller then
    /// absorbs the others. Null otherwise. Runs only for a line that would start a new template.
    /// </summary>
    private TemplateCluster? WordParameterSurvivor(List<TemplateCluster> bucket, string line, ReadOnlySpan<LineToken> tokens)
    {
        var needed = _options.WordParameterValues;
        if (needed < 2 || bucket.Count < needed - 1)
        {
            return null;
        }

        List<(int Position, TemplateCluster Cluster)>? siblings = null;
        foreach (var candidate in bucket)
        {
            // Only rare siblings count: a word seen on many lines is the text of a message of its own ("GET" and
            // "POST" in a request log, LOOKING/LEADING/FOLLOWING), a name or id rarely repeats.
            if (candidate.Count > RareTemplateLines)
            {
                continue;
            }

            var position = candidate.SingleWordDifference(line, tokens, _options.Rules);
            if (position > 0)
            {
                (siblings ??= []).Add((position, candidate));
            }
        }

        if (siblings is null || siblings.Count < needed - 1)
        {
            return null;
        }

        foreach (var group in siblings.GroupBy(s => s.Position))
        {
            // Each sibling holds a word other than the line's; different siblings may hold the same word.
            if (group.Select(s => s.Cluster.Tokens[group.Key]).Distinct(StringComparer.Ordinal).Count() + 1 >= needed)
            {
                var survivor = group.MaxBy(s => s.Cluster.Count).Cluster;
                survivor.MakeWordParameter(group.Key);
                return survivor;
            }
        }

        return null;
    }

    private MiningResult Touch(TemplateCluster cluster, TemplateChange change, long[] absorbed)
    {
        cluster.Count++;
        if (_recency.First != cluster.Recency)
        {
            _recency.Remove(cluster.Recency);
            _recency.AddFirst(cluster.Recency);
        }

        return new MiningResult(cluster.Id, cluster.Template, change, absorbed);
    }

    private void RememberShape(ulong shape, TemplateCluster cluster)
    {
        // Each cluster owns at most a few shapes and takes them along when it is evicted or absorbed, so the
        // cache is bounded by the cluster capacity and never keeps a dead cluster alive. A cluster with more
        // shapes than that still works; its extra shapes just take the bucket search.
        if (cluster.Shapes.Count < TemplateCluster.MaxShapes && _shapes.TryAdd(shape, cluster))
        {
            cluster.Shapes.Add(shape);
        }
    }

    private TemplateCluster Create(string line, ReadOnlySpan<LineToken> tokens, ulong bucketKey)
    {
        var texts = new string[tokens.Length];
        var kinds = new TokenKind[tokens.Length];
        for (var p = 0; p < tokens.Length; p++)
        {
            var token = tokens[p];
            texts[p] = token is { Kind: TokenKind.Variable, KeepLength: 0 } ? LineToken.Wildcard : token.ToTemplateText(line);
            kinds[p] = token.Kind;
        }

        return new TemplateCluster(_nextId++, texts, kinds, 0, bucketKey);
    }

    private void Insert(TemplateCluster cluster)
    {
        if (!_buckets.TryGetValue(cluster.BucketKey, out var bucket))
        {
            bucket = [];
            _buckets.Add(cluster.BucketKey, bucket);
        }

        bucket.Add(cluster);
        _recency.AddFirst(cluster.Recency);
    }

    private void Remove(TemplateCluster cluster)
    {
        foreach (var shape in cluster.Shapes)
        {
            _shapes.Remove(shape);
        }

        _recency.Remove(cluster.Recency);
        var bucket = _buckets[cluster.BucketKey];
        bucket.Remove(cluster);
        if (bucket.Count == 0)
        {
            _buckets.Remove(cluster.BucketKey);
        }
    }

    private long[] AbsorbCovered(List<TemplateCluster> bucket, TemplateCluster survivor)
    {
        List<long>? absorbed = null;
        for (var i = bucket.Count - 1; i >= 0; i--)
        {
            var other = bucket[i];
            if (other != survivor && survivor.Subsumes(other))
            {
                survivor.Count += other.Count;
                Remove(other);
                (absorbed ??= []).Add(other.Id);
            }
        }

        return absorbed is null ? NoneAbsorbed : [.. absorbed];
    }

    private void EvictOverCapacity()
    {
        while (_recency.Count > _options.MaxClusters)
        {
            Remove(_recency.Last!.Value);
        }
    }

    private static ulong BucketKey(int tokenCount, ulong firstTokenHash) => Fnv.Append(firstTokenHash, tokenCount);

    /// <summary>Drain's first two tree levels: token count and first token (by class only when it is name-like).</summary>
    private static ulong BucketKey(int tokenCount, TokenKind firstKind, ulong firstTokenHash) =>
        BucketKey(tokenCount, firstKind == TokenKind.Other ? OtherFirstToken : firstTokenHash);
}
