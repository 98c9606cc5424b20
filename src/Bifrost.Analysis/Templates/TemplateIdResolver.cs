namespace Bifrost.Analysis.Templates;

/// <summary>
/// Follows the merges reported in <see cref="MiningResult.Absorbed"/> so an id handed out earlier can be
/// resolved to the template it ended up in. Holds one entry per merge, not per line. Not thread-safe.
/// </summary>
public sealed class TemplateIdResolver
{
    private readonly Dictionary<long, long> _mergedInto = [];

    /// <summary>Records the merges of one result; returns its cluster id.</summary>
    public long Record(in MiningResult result)
    {
        foreach (var absorbed in result.Absorbed)
        {
            _mergedInto[absorbed] = result.ClusterId;
        }

        return result.ClusterId;
    }

    /// <summary>The id <paramref name="id"/> ended up in after all merges recorded so far.</summary>
    public long Resolve(long id)
    {
        var root = id;
        while (_mergedInto.TryGetValue(root, out var next))
        {
            root = next;
        }

        // Path compression keeps later look-ups for the same chain at one step.
        while (id != root && _mergedInto.TryGetValue(id, out var next))
        {
            _mergedInto[id] = root;
            id = next;
        }

        return root;
    }
}
