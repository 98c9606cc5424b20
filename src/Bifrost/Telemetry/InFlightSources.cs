using System.Diagnostics.Metrics;

namespace Bifrost.Telemetry;

/// <summary>
/// Feeds <c>bifrost.requests.in_flight</c>: each running Kafka worker registers how many records it holds
/// unacknowledged (its offset trackers already know), and the gauge sums them when scraped.
/// </summary>
public sealed class InFlightSources
{
    private readonly Lock _gate = new();
    private Func<long>[] _sources = [];

    public IDisposable Add(Func<long> current)
    {
        lock (_gate)
        {
            _sources = [.. _sources, current];
        }

        return new Registration(this, current);
    }

    public long Total() => Volatile.Read(ref _sources).Sum(source => source());

    internal Measurement<long> Observe() => new(Total());

    private void Remove(Func<long> current)
    {
        lock (_gate)
        {
            _sources = [.. _sources.Where(s => s != current)];
        }
    }

    private sealed class Registration(InFlightSources owner, Func<long> current) : IDisposable
    {
        public void Dispose() => owner.Remove(current);
    }
}
