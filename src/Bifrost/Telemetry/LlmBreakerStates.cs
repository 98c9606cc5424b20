using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Bifrost.Telemetry;

/// <summary>Last reported circuit-breaker state per LLM provider, observed by the <c>bifrost.llm.breaker.state</c> gauge.</summary>
public sealed class LlmBreakerStates
{
    private readonly ConcurrentDictionary<string, BreakerState> _states = new(StringComparer.Ordinal);

    public void Set(string provider, BreakerState state) => _states[provider] = state;

    public BreakerState? Get(string provider) => _states.TryGetValue(provider, out var state) ? state : null;

    internal IEnumerable<Measurement<int>> Observe()
    {
        foreach (var (provider, state) in _states)
        {
            yield return new Measurement<int>((int)state, new KeyValuePair<string, object?>("provider", provider));
        }
    }
}
