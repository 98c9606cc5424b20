using Bifrost.Analysis;
using Bifrost.Analyzers;

namespace Bifrost.Llm;

/// <summary>
/// <c>ai.mode: hybrid</c>: the built-in engine answers first; the LLM is asked only when that answer is weak
/// (see <see cref="HybridRouting"/>), and its failure leaves the built-in answer in place.
/// </summary>
internal sealed class HybridAnalyzer(LogAnalyzer engine, LlmAnalyzer llm, double confidenceThreshold, TimeProvider timeProvider) : IAnalyzer, IDisposable
{
    public Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var started = timeProvider.GetTimestamp();
        var builtin = LlmAnalyzer.BuiltinReport(engine, request);
        return HybridRouting.ShouldAskLlm(builtin, request.Priority, confidenceThreshold)
            ? llm.AnalyzeAsync(request, builtin, started, cancellationToken)
            : Task.FromResult(new AnalyzerOutcome(builtin, "builtin", builtin.Model));
    }

    public void Dispose() => llm.Dispose();
}

/// <summary>When hybrid mode spends an LLM call.</summary>
internal static class HybridRouting
{
    /// <summary>
    /// The engine did not recognise the failure, or is not sure enough (below <c>ai.confidence_threshold</c>), or the
    /// request is CRITICAL (worth a second opinion whatever the engine says).
    /// </summary>
    public static bool ShouldAskLlm(AnalysisReport builtin, string priority, double confidenceThreshold) =>
        builtin.Category == TaxonomyCategories.Unknown
        || builtin.Confidence < confidenceThreshold
        || string.Equals(priority, "CRITICAL", StringComparison.OrdinalIgnoreCase);
}
