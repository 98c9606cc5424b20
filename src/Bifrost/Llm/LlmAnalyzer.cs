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
    ILogger logger) : IAnalyzer, IDisposable
{
    private readonly LlmAnswerCache<LlmCallResult> cache = new(cacheSize);

    public Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnalyzeAsync(request, BuiltinReport(engine, request), cancellationToken);
    }

    internal static AnalysisReport BuiltinReport(LogAnalyzer engine, AnalyzerRequest request) =>
        engine.Analyze(new AnalysisInput(request.LogContent, request.ServiceName, request.Environment, request.Language));

    /// <summary>Asks the LLM about an excerpt the engine already analysed (hybrid mode enters here).</summary>
    internal async Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, AnalysisReport builtin, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Same failure, different ids/hosts/times → same fingerprint → one LLM call.
        var key = string.Join('\u001f', builtin.Fingerprint, asker.Model, request.Language);
        var (pending, shared) = cache.GetOrAdd(key, () =>
            // Not tied to this caller's token: other callers may share the call. The pipeline's deadline bounds it.
            asker.AskAsync(request.LogContent, request.ServiceName, request.Environment, request.Language, CancellationToken.None));

        LlmCallResult result;
        try
        {
            result = await pending.WaitAsync(deadline, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return Fallback(builtin, LlmFailures.Reason(ex), ex);
        }

        var tokens = shared ? 0 : result.TokensUsed;
        if (shared)
        {
            metrics.CacheHit(asker.Model);
        }

        if (!result.Answer.IsUsable)
        {
            return Fallback(builtin, "unusable_reply", null) with { TokensUsed = tokens, CacheHit = shared };
        }

        var (report, mixed) = LlmReportMerger.Merge(builtin, result.Answer, result.ModelId);
        return new AnalyzerOutcome(report, mixed ? "hybrid" : "llm", report.Model, tokens, shared);
    }

    private AnalyzerOutcome Fallback(AnalysisReport builtin, string reason, Exception? exception)
    {
        metrics.Fallback(reason);
        LlmLog.FellBack(logger, asker.Model, reason, builtin.Fingerprint, exception);
        return new AnalyzerOutcome(builtin, "builtin", builtin.Model, Fallback: true);
    }

    public void Dispose()
    {
        chat.Dispose();
        metrics.Dispose();
    }
}
