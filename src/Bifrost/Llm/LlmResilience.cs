using Bifrost.Configuration;
using Bifrost.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace Bifrost.Llm;

/// <summary>
/// The resilience pipeline around every LLM call, outermost first:
/// deadline (the whole call, retries and queueing included) → concurrency limit (ai.max_concurrency, bounded queue)
/// → retry with exponential backoff and Retry-After → circuit breaker → attempt timeout.
/// An outage therefore costs at most one deadline per request until the breaker opens, then nothing.
/// </summary>
internal static class LlmResilience
{
    public const string PipelineName = "bifrost-llm";

    public static void Configure(ResiliencePipelineBuilder builder, AiOptions ai, TimeSpan deadline, LlmMetrics metrics, ILogger logger)
    {
        var breaker = ai.CircuitBreaker;
        builder
            .AddTimeout(new TimeoutStrategyOptions { Name = "llm-deadline", Timeout = deadline })
            .AddConcurrencyLimiter(Math.Max(1, ai.MaxConcurrency), Math.Max(0, ai.QueueLimit));
        if (ai.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "llm-retry",
                MaxRetryAttempts = ai.RetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = deadline,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && LlmFailures.IsTransient(e)),
                DelayGenerator = args => ValueTask.FromResult(LlmFailures.HttpFailure(args.Outcome.Exception)?.RetryAfter),
            });
        }

        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "llm-breaker",
                FailureRatio = Math.Clamp(breaker.FailureRatio, 0.01, 1),
                MinimumThroughput = Math.Max(2, breaker.MinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(0.5, breaker.SamplingSeconds)),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(0.5, breaker.BreakSeconds)),
                OnOpened = _ => Report(metrics, logger, BreakerState.Open),
                OnHalfOpened = _ => Report(metrics, logger, BreakerState.HalfOpen),
                OnClosed = _ => Report(metrics, logger, BreakerState.Closed),
                // Every failure counts, hangs included: the shared LLM call is never cancelled by a caller (only at shutdown), so a
                // cancellation here is the deadline cutting a hung server off.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null),
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "llm-attempt", Timeout = deadline });
    }

    private static ValueTask Report(LlmMetrics metrics, ILogger logger, BreakerState state)
    {
        metrics.BreakerChanged(state);
        if (state == BreakerState.Open)
        {
            LlmLog.BreakerOpened(logger, "open");
        }
        else
        {
            LlmLog.BreakerChanged(logger, state == BreakerState.Closed ? "closed" : "half-open");
        }

        return ValueTask.CompletedTask;
    }
}
