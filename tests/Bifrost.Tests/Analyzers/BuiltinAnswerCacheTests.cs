using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Tests.Analyzers;

public sealed class BuiltinAnswerCacheTests
{
    private const string Excerpt = "2024-11-12 10:30:59 ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms.";

    private static BuiltinAnalyzer Analyzer(int cacheSize) => new(new LogAnalyzer(), Options.Create(new AiOptions { BuiltinCacheSize = cacheSize }));

    [Fact]
    public async Task CachedAnswer_IsWhatTheEngineAnswers_ForEveryInputPart()
    {
        var cached = Analyzer(100);
        var inputs = new[]
        {
            new AnalyzerRequest(Excerpt, "checkout", "production"),
            new AnalyzerRequest(Excerpt, "billing", "production"),
            new AnalyzerRequest(Excerpt, "checkout", "staging"),
            new AnalyzerRequest(Excerpt, "checkout", "production", Language: "ko"),
            new AnalyzerRequest(Excerpt + " on db-7", "checkout", "production"),
        };

        // Kept from the second occurrence on; the third is answered from the cache. Every answer equals a fresh one.
        foreach (var (round, kept) in new[] { (1, 0), (2, inputs.Length), (3, inputs.Length) })
        {
            foreach (var input in inputs)
            {
                var fresh = new LogAnalyzer().Analyze(new AnalysisInput(input.LogContent, input.ServiceName, input.Environment, input.Language));
                var answer = (await cached.AnalyzeAsync(input, default)).Report;
                Assert.Equal(Json(fresh), Json(answer));
            }

            Assert.True(kept == cached.CachedAnswers, $"round {round}: {cached.CachedAnswers} answers kept, expected {kept}");
        }
    }

    [Fact]
    public async Task OneOffInputs_AreNotKept_SoTheyDoNotEvictRepeatedOnes()
    {
        var cached = Analyzer(4);
        var repeated = new AnalyzerRequest(Excerpt, "checkout", "production");
        await cached.AnalyzeAsync(repeated, default);
        await cached.AnalyzeAsync(repeated, default);
        Assert.Equal(1, cached.CachedAnswers);

        // A backlog of excerpts that each occur once (more of them than the capacity): none is kept, the repeated one stays.
        for (var i = 0; i < 50; i++)
        {
            await cached.AnalyzeAsync(new AnalyzerRequest($"{Excerpt} job {i}", "checkout", "production"), default);
        }

        Assert.Equal(1, cached.CachedAnswers);
        var cache = new BuiltinAnswerCache(4);
        var key = BuiltinAnswerCache.KeyOf(new AnalysisInput(Excerpt, "checkout", "production"));
        var report = new LogAnalyzer().Analyze(new AnalysisInput(Excerpt, "checkout", "production"));
        cache.Offer(key, report);
        Assert.False(cache.TryGet(key, out _));
        cache.Offer(key, report);
        Assert.True(cache.TryGet(key, out var kept) && ReferenceEquals(report, kept));
    }

    [Fact]
    public async Task Capacity_EvictsTheLeastRecentlyUsed()
    {
        var cached = Analyzer(2);
        foreach (var service in new[] { "a", "a", "b", "b", "c", "c" })
        {
            await cached.AnalyzeAsync(new AnalyzerRequest(Excerpt, service, "production"), default);
        }

        Assert.Equal(2, cached.CachedAnswers);
    }

    [Fact]
    public async Task SizeZero_TurnsTheCacheOff()
    {
        var uncached = Analyzer(0);
        await uncached.AnalyzeAsync(new AnalyzerRequest(Excerpt, "a", "production"), default);
        Assert.Equal(0, uncached.CachedAnswers);
    }

    [Fact]
    public void Key_SeparatesThePartsOfTheInput()
    {
        Assert.NotEqual(BuiltinAnswerCache.KeyOf(new AnalysisInput("ab", "c")), BuiltinAnswerCache.KeyOf(new AnalysisInput("a", "bc")));
        Assert.NotEqual(BuiltinAnswerCache.KeyOf(new AnalysisInput("x", null)), BuiltinAnswerCache.KeyOf(new AnalysisInput("x", "")));
        Assert.Equal(BuiltinAnswerCache.KeyOf(new AnalysisInput("x", "s", "e", "ko")), BuiltinAnswerCache.KeyOf(new AnalysisInput("x", "s", "e", "ko")));
    }

    private static string Json(AnalysisReport report) => System.Text.Json.JsonSerializer.Serialize(report);
}
