using System.Collections.Concurrent;
using System.Threading.Channels;
using Bifrost.Storage;

namespace Bifrost.Api.Live;

/// <summary>
/// One WebSocket or gRPC Watch client: what it subscribed to and a bounded buffer of events waiting to be
/// sent. When the client reads slower than analyses change, the oldest buffered events are dropped (the
/// pipeline never waits) and the client is told how many before its next event.
/// </summary>
public sealed class LiveSubscriber
{
    private readonly Channel<StoredAnalysis> _buffer;
    private readonly ConcurrentDictionary<long, byte> _analysisIds = new();
    private readonly ConcurrentDictionary<string, byte> _services = new(StringComparer.Ordinal);
    private volatile bool _all;
    private long _dropped;

    /// <param name="maxSubscriptions">Analyses and services one client may follow at once (<c>api.max_subscriptions</c>):
    /// every event is matched against each client's set, so an unbounded set is memory and CPU for anyone to take.</param>
    public LiveSubscriber(int capacity, int maxSubscriptions = int.MaxValue)
    {
        MaxSubscriptions = Math.Max(1, maxSubscriptions);
        _buffer = Channel.CreateBounded<StoredAnalysis>(
            new BoundedChannelOptions(Math.Max(1, capacity)) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public void SubscribeAll(bool on) => _all = on;

    public int MaxSubscriptions { get; }

    /// <summary>Analyses and services followed now (<c>all</c> is not counted: it is one flag).</summary>
    public int Subscriptions => _analysisIds.Count + _services.Count;

    /// <summary>False when subscribing would exceed <see cref="MaxSubscriptions"/> (nothing changes then).</summary>
    public bool SubscribeAnalysis(long id, bool on)
    {
        if (!on) return _analysisIds.TryRemove(id, out _) || true;
        if (!_analysisIds.ContainsKey(id) && Subscriptions >= MaxSubscriptions) return false;
        _analysisIds[id] = 0;
        return true;
    }

    /// <summary>False when subscribing would exceed <see cref="MaxSubscriptions"/> (nothing changes then).</summary>
    public bool SubscribeService(string service, bool on)
    {
        if (!on) return _services.TryRemove(service, out _) || true;
        if (!_services.ContainsKey(service) && Subscriptions >= MaxSubscriptions) return false;
        _services[service] = 0;
        return true;
    }

    public bool Matches(StoredAnalysis analysis) =>
        _all || _analysisIds.ContainsKey(analysis.Id) || _services.ContainsKey(analysis.Request.ServiceName);

    /// <summary>Called by the hub for every event; never blocks.</summary>
    public void Offer(StoredAnalysis analysis)
    {
        if (Matches(analysis)) _buffer.Writer.TryWrite(analysis);
    }

    /// <summary>Queues a snapshot (e.g. the current state of an analysis just subscribed to) like any event.</summary>
    public void Enqueue(StoredAnalysis analysis) => _buffer.Writer.TryWrite(analysis);

    public void Complete() => _buffer.Writer.TryComplete();

    /// <summary>The next thing to send: a drop notice if events were lost since the last read, else the next event.</summary>
    public async ValueTask<LiveItem?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0) return new LiveItem(null, dropped);
            if (_buffer.Reader.TryRead(out var analysis))
            {
                // A drop may have happened while this item was being taken; report it first next time.
                return new LiveItem(analysis, 0);
            }

            if (!await _buffer.Reader.WaitToReadAsync(ct).ConfigureAwait(false)) return null;
        }
    }
}

/// <summary>Either an analysis whose status changed, or a notice that <see cref="Dropped"/> events were lost.</summary>
public sealed record LiveItem(StoredAnalysis? Analysis, long Dropped);
