using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace Bifrost.Llm;

/// <summary>
/// Meter <c>Bifrost.Llm</c> (OpenTelemetry naming): calls made to the LLM server, tokens spent, cache hits,
/// fallbacks to the built-in engine (by reason) and the circuit breaker's state.
/// </summary>
internal sealed class LlmMetrics : IDisposable
{
    public const string MeterName = "Bifrost.Llm";

    private readonly Meter meter;
    private readonly Counter<long> calls;
    private readonly Counter<long> tokens;
    private readonly Counter<long> cacheHits;
    private readonly Counter<long> fallbacks;

    public LlmMetrics(IMeterFactory? meterFactory, CircuitBreakerStateProvider? breaker)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        calls = meter.CreateCounter<long>("bifrost.llm.calls", "{call}", "Requests sent to the LLM server (including repair turns; not cache hits).");
        tokens = meter.CreateCounter<long>("bifrost.llm.tokens", "{token}", "Tokens the LLM server reported as used.");
        cacheHits = meter.CreateCounter<long>("bifrost.llm.cache.hits", "{hit}", "Analyses answered from the fingerprint cache or a shared in-flight call.");
        fallbacks = meter.CreateCounter<long>("bifrost.llm.fallbacks", "{fallback}", "Analyses that wanted the LLM but published the built-in answer.");
        if (breaker is not null)
        {
            meter.CreateObservableGauge("bifrost.llm.circuit_breaker.state", () => (int)breaker.CircuitState, "{state}",
                "LLM circuit breaker: 0 closed, 1 open, 2 half-open, 3 isolated.");
        }
    }

    public Meter Meter => meter;

    public void Call(string model, string outcome) => calls.Add(1, new("gen_ai.request.model", model), new("outcome", outcome));

    public void Tokens(string model, long count)
    {
        if (count > 0)
        {
            tokens.Add(count, new KeyValuePair<string, object?>("gen_ai.request.model", model));
        }
    }

    public void CacheHit(string model) => cacheHits.Add(1, new KeyValuePair<string, object?>("gen_ai.request.model", model));

    public void Fallback(string reason) => fallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => meter.Dispose();
}
