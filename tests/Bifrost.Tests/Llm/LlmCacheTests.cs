using Bifrost.FakeLlm;

namespace Bifrost.Tests.Llm;

/// <summary>A failure that repeats with different ids/hosts/times costs one LLM call.</summary>
public class LlmCacheTests
{
    private static string Occurrence(int i) =>
        $"2026-11-12T10:{i % 60:00}:15Z ERROR [payments] Connection refused: connect to 10.0.{i % 250}.{i % 7}:5432 after {1000 + i} ms (request {i})";

    [Fact]
    public async Task RepeatedFingerprint_CostsOneCall_AndLaterRepeatsAreCacheHits()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", server);

        var first = await rig.AnalyzeAsync(Occurrence(1));
        var repeats = new List<Bifrost.Analyzers.AnalyzerOutcome>();
        for (var i = 2; i <= 20; i++)
        {
            repeats.Add(await rig.AnalyzeAsync(Occurrence(i)));
        }

        Assert.Equal(1, server.CallCount);
        Assert.False(first.CacheHit);
        Assert.True(first.TokensUsed > 0);
        Assert.All(repeats, o => Assert.True(o.CacheHit));
        Assert.All(repeats, o => Assert.Equal(0, o.TokensUsed));
        Assert.All(repeats, o => Assert.Equal(first.Report.Category, o.Report.Category));
        Assert.Equal(19, rig.Metrics.CacheHits);
        Assert.Equal(1, rig.Metrics.Calls);
        Assert.Equal(first.TokensUsed, rig.Metrics.Tokens);
    }

    [Fact]
    public async Task ConcurrentRepeats_ShareOneInFlightCall()
    {
        // A slow model: the concurrent requests arrive while the first call is still running.
        await using var server = await FakeLlmServer.StartAsync(r => FakeModel.Answer(r) with { Delay = TimeSpan.FromSeconds(1) });
        await using var rig = LlmRig.Create("llm", server);

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<Bifrost.Analyzers.AnalyzerOutcome>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) => outcomes.Add(await rig.AnalyzeAsync(Occurrence(i))));

        Assert.Equal(1, server.CallCount);
        Assert.Single(outcomes, o => !o.CacheHit);
        Assert.All(outcomes, o => Assert.Equal("llm", o.Engine));
        Assert.Equal(outcomes.Single(o => !o.CacheHit).TokensUsed, outcomes.Sum(o => o.TokensUsed));
    }

    [Fact]
    public async Task DifferentFailures_AreSeparateEntries_AndTheCacheIsBounded()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", server, "ollama", ("ai:cache_size", "2"));

        await rig.AnalyzeAsync("ERROR disk: No space left on device");
        await rig.AnalyzeAsync("ERROR java.lang.NullPointerException at Cart.add");
        await rig.AnalyzeAsync("ERROR disk: No space left on device");          // hit
        await rig.AnalyzeAsync("ERROR java.net.UnknownHostException: db.internal"); // evicts the NPE (least recently used)
        await rig.AnalyzeAsync("ERROR disk: No space left on device");          // still cached
        await rig.AnalyzeAsync("ERROR java.lang.NullPointerException at Cart.add"); // evicted: asked again

        Assert.Equal(4, server.CallCount);
    }

    [Fact]
    public async Task SameFailureInAnotherService_IsAskedAgain_SoNoAnswerNamesTheWrongService()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", server);

        await rig.AnalyzeAsync(Occurrence(1), service: "payments");
        await rig.AnalyzeAsync(Occurrence(2), service: "payments");
        await rig.AnalyzeAsync(Occurrence(3), service: "ledger");

        Assert.Equal(2, server.CallCount);
        Assert.Contains("\"service_name\":\"ledger\"", server.Requests[1].UserPrompt);
    }

    [Fact]
    public async Task FailedCalls_AreNotCached()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.ServerError());
        await using var rig = LlmRig.Create("llm", server, "ollama", ("ai:retry_attempts", "0"), ("ai:circuit_breaker:minimum_throughput", "100"));

        var down = await rig.AnalyzeAsync(Occurrence(1));
        server.Responder = FakeModel.Answer;
        var up = await rig.AnalyzeAsync(Occurrence(2));

        Assert.True(down.Fallback);
        Assert.False(up.Fallback);
        Assert.False(up.CacheHit);
        Assert.Equal(2, server.CallCount);
    }
}
