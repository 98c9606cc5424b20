using System.Diagnostics;
using Bifrost.Analysis;
using Bifrost.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Analyzers;

/// <summary>
/// The built-in engine behind the <see cref="IAnalyzer"/> seam. Synchronous and fast: no thread hop. Answers are
/// kept by exact input from its second occurrence (<see cref="BuiltinAnswerCache"/>, <c>ai.builtin_cache_size</c>).
/// </summary>
public sealed class BuiltinAnalyzer : IAnalyzer
{
    /// <summary>
    /// The engine's regexes degrade to "no match" when they time out (≥ 500 ms, i.e. a starved CPU): an answer that
    /// took this long may be such a degraded one and is not kept, so the next request gets a fresh analysis.
    /// </summary>
    private static readonly TimeSpan MaxCachedAnalysisTime = TimeSpan.FromMilliseconds(250);

    private readonly LogAnalyzer _engine;
    private readonly BuiltinAnswerCache? _cache;

    /// <param name="options">Without: no answer cache (one-off analyses, e.g. the CLI).</param>
    public BuiltinAnalyzer(LogAnalyzer engine, IOptions<AiOptions>? options = null)
    {
        _engine = engine;
        _cache = options?.Value.BuiltinCacheSize is > 0 and var size ? new BuiltinAnswerCache(size) : null;
    }

    public bool IsInstant => true;

    /// <summary>Answers kept now (0 when the cache is off).</summary>
    public int CachedAnswers => _cache?.Count ?? 0;

    public Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var report = Analyze(new AnalysisInput(request.LogContent, request.ServiceName, request.Environment, request.Language));
        return Task.FromResult(new AnalyzerOutcome(report, "builtin", report.Model));
    }

    private AnalysisReport Analyze(AnalysisInput input)
    {
        if (_cache is null)
        {
            return _engine.Analyze(input);
        }

        var key = BuiltinAnswerCache.KeyOf(input);
        if (_cache.TryGet(key, out var cached))
        {
            Telemetry.BifrostMetrics.BuiltinCache(hit: true);
            return cached;
        }

        Telemetry.BifrostMetrics.BuiltinCache(hit: false);
        var started = Stopwatch.GetTimestamp();
        var report = _engine.Analyze(input);
        if (Stopwatch.GetElapsedTime(started) < MaxCachedAnalysisTime)
        {
            _cache.Offer(key, report);
        }

        return report;
    }
}
