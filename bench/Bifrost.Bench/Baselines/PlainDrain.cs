using System.Text.RegularExpressions;

namespace Bifrost.Bench.Baselines;

/// <summary>
/// The baseline: plain Drain as logpai/Drain3 implements it (drain.py, 0.9-era), with Drain3's example
/// configuration: depth 4, sim_th 0.4, max_children 100, extra delimiter "_", and drain3.ini's masking
/// (ID, IP, SEQ, HEX, NUM, CMD as <c>&lt;:NAME:&gt;</c>). Ported faithfully, including the fixed-depth prefix
/// tree and fast_match's tie-break, so the side-by-side numbers compare algorithms, not languages.
/// No eviction (Drain3's max_clusters is not reached by the evaluation inputs).
/// </summary>
internal sealed class PlainDrain
{
    private const string Param = "<*>";
    private const int MaxNodeDepth = 4 - 2;
    private const int MaxChildren = 100;
    private const double SimilarityThreshold = 0.4;

    private static readonly (Regex Pattern, string Mask)[] Masking =
    [
        (new(@"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", RegexOptions.Compiled), "<:ID:>"),
        (new(@"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", RegexOptions.Compiled), "<:IP:>"),
        (new(@"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", RegexOptions.Compiled), "<:SEQ:>"),
        (new(@"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", RegexOptions.Compiled), "<:SEQ:>"),
        (new(@"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", RegexOptions.Compiled), "<:HEX:>"),
        (new(@"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", RegexOptions.Compiled), "<:NUM:>"),
        (new(@"(?<=executed cmd )("".+?"")", RegexOptions.Compiled), "<:CMD:>"),
    ];

    private readonly Node _root = new();
    private readonly List<Cluster> _clusters = [];

    /// <summary>Adds one message; returns its cluster id (Drain3 never merges clusters, so it is final).</summary>
    public int Add(string content)
    {
        var tokens = Tokenize(Mask(content));
        var match = TreeSearch(tokens);
        if (match is null)
        {
            match = new Cluster(_clusters.Count + 1, tokens);
            _clusters.Add(match);
            AddToTree(match);
        }
        else
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                if (match.Tokens[i] != tokens[i])
                {
                    match.Tokens[i] = Param;
                }
            }
        }

        match.Size++;
        return match.Id;
    }

    public int ClusterCount => _clusters.Count;

    private static string Mask(string content)
    {
        foreach (var (pattern, mask) in Masking)
        {
            content = pattern.Replace(content, mask);
        }

        return content;
    }

    private static string[] Tokenize(string content) =>
        content.Trim().Replace('_', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private Cluster? TreeSearch(string[] tokens)
    {
        if (!_root.Children.TryGetValue(tokens.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), out var node))
        {
            return null;
        }

        if (tokens.Length == 0)
        {
            return node.Clusters.Count > 0 ? node.Clusters[0] : null;
        }

        var depth = 1;
        foreach (var token in tokens)
        {
            if (depth >= MaxNodeDepth || depth == tokens.Length)
            {
                break;
            }

            if (!node.Children.TryGetValue(token, out var next) && !node.Children.TryGetValue(Param, out next))
            {
                return null;
            }

            node = next;
            depth++;
        }

        return FastMatch(node.Clusters, tokens);
    }

    private static Cluster? FastMatch(List<Cluster> candidates, string[] tokens)
    {
        Cluster? best = null;
        double bestSimilarity = -1;
        var bestParams = -1;
        foreach (var cluster in candidates)
        {
            int same = 0, parameters = 0;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (cluster.Tokens[i] == Param)
                {
                    parameters++;
                }
                else if (cluster.Tokens[i] == tokens[i])
                {
                    same++;
                }
            }

            var similarity = (double)same / tokens.Length;
            if (similarity > bestSimilarity || (similarity == bestSimilarity && parameters > bestParams))
            {
                best = cluster;
                bestSimilarity = similarity;
                bestParams = parameters;
            }
        }

        return bestSimilarity >= SimilarityThreshold ? best : null;
    }

    private void AddToTree(Cluster cluster)
    {
        var count = cluster.Tokens.Length;
        var key = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!_root.Children.TryGetValue(key, out var node))
        {
            _root.Children[key] = node = new Node();
        }

        if (count == 0)
        {
            node.Clusters.Clear();
            node.Clusters.Add(cluster);
            return;
        }

        var depth = 1;
        foreach (var token in cluster.Tokens)
        {
            if (depth >= MaxNodeDepth || depth >= count)
            {
                node.Clusters.Add(cluster);
                break;
            }

            if (node.Children.TryGetValue(token, out var child))
            {
                node = child;
            }
            else if (token.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
            {
                node = GetOrAdd(node, Param);
            }
            else if (node.Children.ContainsKey(Param))
            {
                node = node.Children.Count < MaxChildren ? GetOrAdd(node, token) : node.Children[Param];
            }
            else if (node.Children.Count + 1 < MaxChildren)
            {
                node = GetOrAdd(node, token);
            }
            else
            {
                node = GetOrAdd(node, Param);
            }

            depth++;
        }
    }

    private static Node GetOrAdd(Node node, string key)
    {
        if (!node.Children.TryGetValue(key, out var child))
        {
            node.Children[key] = child = new Node();
        }

        return child;
    }

    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
        public List<Cluster> Clusters { get; } = [];
    }

    private sealed class Cluster(int id, string[] tokens)
    {
        public int Id { get; } = id;
        public string[] Tokens { get; } = tokens;
        public long Size { get; set; }
    }
}
