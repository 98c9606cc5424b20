using Bifrost.Analysis;
using Bifrost.Analyzers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Bifrost.Llm;

/// <summary>
/// <c>ai.mode: llm</c>: every excerpt goes to the LLM (through the fingerprint cache), with the built-in engine's
/// report as the per-field fallback and as the whole answer when the LLM fails, times out or its breaker is open.
/// </summary>
internal sealed class LlmAnalyzer(
    LogAnalyzer engine,
    LlmAsker asker,
    IChatClient chat,
    LlmMetrics metrics,
    int cacheSize,
    TimeSpan deadline,
    TimeProvider timeProvider,
    ILogger logger,
    TimeSpan? cacheTimeToLive = null) : IAnalyzer, IDisposable
{
    private readonly LlmAnswerCache<LlmCallResult> cache = new(cacheSize, cacheTimeToLive ?? TimeSpan.FromHours(1), timeProvider);

    // Cancels in-flight LLM calls on shutdown (Polly waits for running executions when its registry is disposed).
    private readonly CancellationTokenSource stopping = new();

    public Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = timeProvider.GetTimestamp();
        return AnalyzeAsync(request, BuiltinReport(engine, request), started, cancellationToken);
    }

    internal static AnalysisReport BuiltinReport(LogAnalyzer engine, AnalyzerRequest request) =>
        engine.Analyze(new AnalysisInput(request.LogContent, request.ServiceName, request.Environment, request.Language));

    /// <summary>
    /// Asks the LLM about an excerpt the engine already analysed (hybrid mode enters here). Whatever stops the wait —
    /// LLM failure, our deadline, or the caller's deadline firing first — the built-in answer is returned, never an
    /// exception: a request must not fail because the LLM was slow.
    /// </summary>
    /// <param name="started">When the request entered the analyzer (<see cref="TimeProvider.GetTimestamp"/>): the deadline
    /// counts the engine's time too, so the whole analysis ends within it.</param>
    internal async Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, AnalysisReport builtin, long started, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Fallback(builtin, "deadline", null); // the engine's answer is ready; the caller has no time for more
        }

        // Same excerpt up to numbers and hex ids → one LLM call, for one caller (LlmCacheKey says why no broader).
        var key = LlmCacheKey.Of(request, builtin.Fingerprint, asker.Model);
        var (pending, shared) = cache.GetOrAdd(key, () =>
            // Not tied to this caller's token: other callers may share the call. The pipeline's deadline bounds it.
            asker.AskAsync(request.LogContent, request.ServiceName, request.Environment, request.Language, stopping.Token));

        LlmCallResult result;
        try
        {
            var remaining = deadline - timeProvider.GetElapsedTime(started);
            result = await pending.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return Fallback(builtin, LlmFailures.Reason(ex), ex);
        }

        var tokens = shared ? 0 : result.TokensUsed;
        var (promptTokens, completionTokens) = shared ? (0, 0) : (result.PromptTokens, result.CompletionTokens);
        metrics.CacheLookup(hit: shared);

        if (!result.Answer.IsUsable)
        {
            return Fallback(builtin, "unusable_reply", null) with { TokensUsed = tokens, CacheHit = shared, PromptTokens = promptTokens, CompletionTokens = completionTokens };
        }

        var (report, mixed) = LlmReportMerger.Merge(builtin, result.Answer, result.ModelId);
        return new AnalyzerOutcome(report, mixed ? "hybrid" : "llm", report.Model, tokens, shared, PromptTokens: promptTokens, CompletionTokens: completionTokens);
    }

    private AnalyzerOutcome Fallback(AnalysisReport builtin, string reason, Exception? exception)
    {
        metrics.Fallback(reason);
        if (reason == "circuit_open")
        {
            LlmLog.FellBackBreakerOpen(logger, asker.Model, builtin.Fingerprint);
        }
        else
        {
            // Stack traces only for the unexpected; timeouts and HTTP statuses say all in the reason.
            LlmLog.FellBack(logger, asker.Model, reason, builtin.Fingerprint, reason == "error" ? exception : null);
        }
        return new AnalyzerOutcome(builtin, "builtin", builtin.Model, Fallback: true);
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
        chat.Dispose();
    }
}
