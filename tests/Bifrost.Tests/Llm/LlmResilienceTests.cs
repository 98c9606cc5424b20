using Bifrost.Telemetry;
using System.Diagnostics;
using Bifrost.FakeLlm;

namespace Bifrost.Tests.Llm;

/// <summary>An LLM outage degrades to built-in answers within the deadline and then stops costing anything.</summary>
public class LlmResilienceTests
{
    private const string Excerpt = "ERROR [api] upstream returned 503 Service Unavailable";

    /// <summary>An excerpt the built-in engine does not recognise, so hybrid mode asks the LLM.</summary>
    private const string Unrecognised = "ERROR [ledger] reconciliation batch finished with mismatched totals";

    // Deadlines are asserted only with generous bounds: the point is "falls back instead of hanging".
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task HangingServer_FallsBackToBuiltin_WithinTheDeadline()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.Hangs());
        await using var rig = LlmRig.Create("hybrid", server, "ollama", ("ai:timeout", "1"));

        var clock = Stopwatch.StartNew();
        var outcome = await rig.AnalyzeAsync(Unrecognised);

        Assert.True(clock.Elapsed < Generous, $"took {clock.Elapsed}");
        Assert.True(outcome.Fallback);
        Assert.Equal("builtin", outcome.Engine);
        Assert.StartsWith("bifrost-builtin/", outcome.Model);
        Assert.Equal(1, rig.Metrics.Fallbacks);
    }

    [Fact]
    public async Task HeimdallTimeout_ShorterThanAiTimeout_IsTheDeadline()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.Hangs());
        await using var rig = LlmRig.Create("llm", server, "openai", ("ai:timeout", "600"), ("analysis:timeout_seconds", "1"));

        var clock = Stopwatch.StartNew();
        var outcome = await rig.AnalyzeAsync(Excerpt);

        Assert.True(clock.Elapsed < Generous, $"took {clock.Elapsed}");
        Assert.True(outcome.Fallback);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task ServerErrors_AreRetried_ThenSucceed(string provider)
    {
        var calls = 0;
        await using var server = await FakeLlmServer.StartAsync(r => Interlocked.Increment(ref calls) == 1 ? FakeReply.ServerError() : FakeModel.Answer(r));
        await using var rig = LlmRig.Create("llm", server, provider, ("ai:retry_attempts", "2"));

        var outcome = await rig.AnalyzeAsync(Excerpt);

        Assert.Equal(2, server.CallCount);
        Assert.False(outcome.Fallback);
        Assert.Equal("http.upstream_error", outcome.Report.Category);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task RateLimited_HonoursRetryAfter_ThenSucceeds(string provider)
    {
        var calls = 0;
        await using var server = await FakeLlmServer.StartAsync(r => Interlocked.Increment(ref calls) == 1 ? FakeReply.RateLimited(1) : FakeModel.Answer(r));
        await using var rig = LlmRig.Create("llm", server, provider, ("ai:retry_attempts", "1"));

        var clock = Stopwatch.StartNew();
        var outcome = await rig.AnalyzeAsync(Excerpt);

        Assert.Equal(2, server.CallCount);
        Assert.False(outcome.Fallback);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task RetryAfterBeyondTheDeadline_FallsBack_InsteadOfWaiting()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.RateLimited(120));
        await using var rig = LlmRig.Create("llm", server, "openai", ("ai:timeout", "1"), ("ai:retry_attempts", "3"));

        var clock = Stopwatch.StartNew();
        var outcome = await rig.AnalyzeAsync(Excerpt);

        Assert.True(clock.Elapsed < Generous, $"took {clock.Elapsed}");
        Assert.True(outcome.Fallback);
        Assert.Equal(1, server.CallCount);
    }

    [Fact]
    public async Task ConnectionRefused_FallsBack()
    {
        await using var rig = LlmRig.Create("hybrid", FakeLlmServer.ClosedPortUrl().ToString(), "ollama", ("ai:retry_attempts", "1"));

        var outcome = await rig.AnalyzeAsync(Unrecognised);

        Assert.True(outcome.Fallback);
        Assert.Equal("builtin", outcome.Engine);
        Assert.Equal(2, rig.Metrics.Calls); // the attempt and its one retry
    }

    [Fact]
    public async Task OpenBreaker_IsNotRetried_SoOutageAnswersComeBackAtOnce()
    {
        await using var rig = LlmRig.Create("hybrid", FakeLlmServer.ClosedPortUrl().ToString(), "openai",
            ("ai:timeout", "600"),
            ("ai:retry_attempts", "10"), // retrying an open breaker would back off for minutes before the deadline
            ("ai:circuit_breaker:minimum_throughput", "2"),
            ("ai:circuit_breaker:break_seconds", "60"));

        var clock = Stopwatch.StartNew();
        var first = await rig.AnalyzeAsync("ERROR first failure");
        var attemptsToOpen = rig.Metrics.Calls;
        var later = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => rig.AnalyzeAsync($"ERROR failure kind {(char)('a' + i)}")));

        Assert.True(clock.Elapsed < Generous, $"took {clock.Elapsed}");
        Assert.True(first.Fallback);
        Assert.Equal(2, attemptsToOpen); // two refused attempts opened the breaker; the other retries were not spent
        Assert.All(later, o => Assert.True(o.Fallback));
        Assert.Equal(attemptsToOpen, rig.Metrics.Calls);
        Assert.Equal(21, rig.Metrics.Fallbacks);
    }

    [Fact]
    public async Task Breaker_OpensAfterFailures_StopsCalling_ThenClosesWhenTheServerRecovers()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.ServerError());
        await using var rig = LlmRig.Create("llm", server, "ollama",
            ("ai:retry_attempts", "0"),
            ("ai:circuit_breaker:minimum_throughput", "3"),
            ("ai:circuit_breaker:failure_ratio", "0.5"),
            ("ai:circuit_breaker:sampling_seconds", "30"),
            ("ai:circuit_breaker:break_seconds", "1"));

        // Different failures (distinct fingerprints) so the cache does not hide the calls.
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await rig.AnalyzeAsync($"ERROR failure kind {(char)('a' + i)}")).Fallback);
        }

        Assert.Equal(3, server.CallCount);
        Assert.Equal(BreakerState.Open, rig.Metrics.Breaker);

        var whileOpen = await rig.AnalyzeAsync("ERROR failure kind z");
        Assert.True(whileOpen.Fallback);
        Assert.Equal(3, server.CallCount); // the breaker answered; the server was not called

        server.Responder = FakeModel.Answer;
        var recovered = false;
        var until = DateTime.UtcNow + Generous;
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            if (!(await rig.AnalyzeAsync($"ERROR probe {Guid.NewGuid():N}")).Fallback)
            {
                recovered = true; // half-open let a probe through and it succeeded
                break;
            }
        }

        Assert.True(recovered);
        Assert.Equal(BreakerState.Closed, rig.Metrics.Breaker); // closed again
    }
}
