using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using Bifrost.Analysis;

namespace Bifrost.Analyzers;

/// <summary>
/// Answers of the built-in engine by their exact input (excerpt, service, environment, language), least recently
/// used evicted past <c>capacity</c>. The engine is a pure function of that input, so a hit returns exactly what a
/// new analysis would; what it saves is the engine's cost for the failure an outage repeats thousands of times.
/// Keys are 128-bit XxHash digests: the cache never holds the excerpts themselves (memory stays ~capacity × one
/// report), and a collision is as likely as guessing a random 128-bit number.
/// Admission: an answer is kept only when its input was seen before (TinyLFU's "doorkeeper": one 64-bit tag per
/// slot of a table twice the capacity, no allocation). A backlog of one-off excerpts after an outage then neither
/// flushes the answers that do repeat nor promotes every report it produces into the oldest GC generation only to
/// evict it later (measured on the cold-backlog bench, docs/benchmarks.md); a failure that repeats costs one extra
/// analysis, its second, before it is answered from here.
/// </summary>
public sealed class BuiltinAnswerCache(int capacity)
{
    private readonly int _capacity = Math.Max(1, capacity);
    private readonly ulong[] _seenOnce = new ulong[BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity) * 2)];
    private readonly Dictionary<UInt128, LinkedListNode<(UInt128 Key, AnalysisReport Report)>> _map = [];
    private readonly LinkedList<(UInt128 Key, AnalysisReport Report)> _recency = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    [ThreadStatic] private static XxHash128? t_hash;

    public static UInt128 KeyOf(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var hash = t_hash ??= new XxHash128();
        hash.Reset();
        Span<byte> length = stackalloc byte[4];
        // Each part is followed by its length, so ("ab", "c") and ("a", "bc") cannot produce the same stream.
        foreach (var part in (ReadOnlySpan<string?>)[input.LogContent, input.ServiceName, input.Environment, input.Language])
        {
            var text = (part ?? string.Empty).AsSpan();
            hash.Append(MemoryMarshal.AsBytes(text));
            BinaryPrimitives.WriteInt32LittleEndian(length, part is null ? -1 : text.Length);
            hash.Append(length);
        }

        return hash.GetCurrentHashAsUInt128();
    }

    public bool TryGet(UInt128 key, out AnalysisReport report)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                report = node.Value.Report;
                return true;
            }
        }

        report = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="report"/> if <paramref name="key"/> was offered before (and is still remembered); else remembers the key only.</summary>
    public void Offer(UInt128 key, AnalysisReport report)
    {
        lock (_gate)
        {
            if (_map.ContainsKey(key))
            {
                return;
            }

            // The low half picks the slot, the high half is the tag (never 0, the empty slot): independent bits of one digest.
            ref var seen = ref _seenOnce[(int)((ulong)key & (ulong)(_seenOnce.Length - 1))];
            var tag = (ulong)(key >> 64) | 1;
            if (seen != tag)
            {
                seen = tag;
                return;
            }

            _map[key] = _recency.AddFirst((key, report));
            if (_map.Count > _capacity)
            {
                _map.Remove(_recency.Last!.Value.Key);
                _recency.RemoveLast();
            }
        }
    }
}
