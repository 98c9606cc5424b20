using Bifrost.Analysis;

namespace Bifrost.Analyzers;

/// <summary>The built-in engine behind the <see cref="IAnalyzer"/> seam. Synchronous and fast: no thread hop.</summary>
public sealed class BuiltinAnalyzer(LogAnalyzer engine) : IAnalyzer
{
    public Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var report = engine.Analyze(new AnalysisInput(request.LogContent, request.ServiceName, request.Environment, request.Language));
        return Task.FromResult(new AnalyzerOutcome(report, "builtin", report.Model));
    }
}
