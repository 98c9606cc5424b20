using Bifrost.Telemetry;

namespace Bifrost.Llm;

/// <summary>
/// What the LLM path costs, recorded on the shared instruments of meter <c>Bifrost.Llm</c> (defined once in
/// <see cref="BifrostMetrics"/>: bifrost.llm.calls, bifrost.llm.tokens, bifrost.llm.cache.lookups,
/// bifrost.llm.fallbacks, bifrost.llm.breaker.state) and counted per analyzer instance for diagnostics and tests.
/// </summary>
internal sealed class LlmMetrics(string provider, string model)
{
    private long calls;
    private long tokens;
    private long cacheHits;
    private long fallbacks;

    public long Calls => Interlocked.Read(ref calls);

    public long Tokens => Interlocked.Read(ref tokens);

    public long CacheHits => Interlocked.Read(ref cacheHits);

    public long Fallbacks => Interlocked.Read(ref fallbacks);

    public BreakerState Breaker { get; private set; } = BreakerState.Closed;

    /// <param name="reason">ok, or a <see cref="LlmFailures.Reason"/>.</param>
    public void Call(string reason)
    {
        Interlocked.Increment(ref calls);
        BifrostMetrics.LlmCall(provider, model, reason switch
        {
            "ok" or "timeout" => reason,
            "circuit_open" or "queue_full" => "rejected",
            _ => "error",
        });
    }

    public void TokensUsed(long input, long output)
    {
        Interlocked.Add(ref tokens, input + output);
        BifrostMetrics.LlmTokensUsed(model, input, output);
    }

    public void CacheLookup(bool hit)
    {
        if (hit)
        {
            Interlocked.Increment(ref cacheHits);
        }

        BifrostMetrics.LlmCacheLookup(hit);
    }

    public void Fallback(string reason)
    {
        Interlocked.Increment(ref fallbacks);
        BifrostMetrics.LlmFallback(reason switch
        {
            "circuit_open" => "breaker_open",
            "unusable_reply" => "invalid_answer",
            "timeout" or "deadline" => "timeout",
            "queue_full" => "queue_full",
            _ => "error",
        });
    }

    public void BreakerChanged(BreakerState state)
    {
        Breaker = state;
        BifrostMetrics.LlmBreakerState(provider, state);
    }
}
