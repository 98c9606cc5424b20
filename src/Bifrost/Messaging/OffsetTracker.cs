namespace Bifrost.Messaging;

/// <summary>
/// Per-partition bookkeeping for at-least-once delivery: the committable position is the lowest offset whose
/// result or DLQ record the broker has not acknowledged yet (or one past the highest offset seen when all
/// are done). Work finishes out of order (concurrent lanes); the committed position only moves over a
/// contiguous done prefix, so a crash never skips unprocessed messages. Pure and thread-safe: offsets are
/// added by the consume thread, completed from delivery reports.
/// </summary>
public sealed class OffsetTracker
{
    private readonly Lock _gate = new();
    private readonly Queue<long> _order = new();
    private readonly HashSet<long> _done = [];
    private readonly HashSet<long> _pending = [];
    private long _nextCommit = -1;

    /// <summary>Set when the partition is revoked: queued work for it is handed back, not processed.</summary>
    public bool Revoked { get; private set; }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Registers a consumed offset (strictly increasing per partition; gaps allowed).</summary>
    public void Add(long offset)
    {
        lock (_gate)
        {
            if (_order.Count > 0 && offset <= _lastAdded)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"offsets must increase (last was {_lastAdded})");
            }

            _order.Enqueue(offset);
            _pending.Add(offset);
            _lastAdded = offset;
        }
    }

    private long _lastAdded = -1;

    /// <summary>Marks an offset acknowledged. Unknown or repeated offsets are ignored (a retry's second report).</summary>
    public void Complete(long offset)
    {
        lock (_gate)
        {
            if (_pending.Remove(offset))
            {
                _done.Add(offset);
                while (_order.TryPeek(out var head) && _done.Remove(head))
                {
                    _order.Dequeue();
                    _nextCommit = head + 1;
                }
            }
        }
    }

    /// <summary>The offset to commit (the next message to read after a restart), or null when nothing is done yet.</summary>
    public long? Committable
    {
        get
        {
            lock (_gate)
            {
                return _nextCommit >= 0 ? _nextCommit : null;
            }
        }
    }

    public void Revoke()
    {
        lock (_gate)
        {
            Revoked = true;
        }
    }
}
