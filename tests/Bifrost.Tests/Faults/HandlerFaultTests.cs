using System.Text.Json.Nodes;
using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.FakeLlm;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bifrost.Tests.Faults;

/// <summary>What happens inside the handler goes wrong: analyses slower than max.poll.interval.ms, an LLM that hangs or refuses.</summary>
[Collection(FaultsCollection.Name)]
public sealed class HandlerFaultTests(ITestOutputHelper output)
{
    /// <summary>Each analysis takes longer than the consumer's max.poll.interval.ms (librdkafka: at least session.timeout.ms).</summary>
    private sealed class SlowAnalyzer(LogAnalyzer engine, TimeSpan delay) : IAnalyzer
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(delay, cancellationToken);
            var report = engine.Analyze(new AnalysisInput(request.LogContent, request.ServiceName, request.Environment));
            return new AnalyzerOutcome(report, "builtin", report.Model);
        }
    }

    [Fact]
    public async Task HandlerSlowerThanMaxPollInterval_NoRebalanceLoop_NoDuplicateStorm()
    {
        await using var run = await FaultRun.CreateAsync(output);
        var env = run.Environment(maxInFlight: 32, logLevel: "warning");
        env["kafka__consumer__session.timeout.ms"] = "6000";
        env["kafka__consumer__max.poll.interval.ms"] = "6000"; // librdkafka's floor: session.timeout.ms
        env["heimdall__timeout_seconds"] = "30";
        var slow = new SlowAnalyzer(new LogAnalyzer(), TimeSpan.FromSeconds(8));
        await run.ProduceAsync(run.NextBatch(24));
        await using (var bifrost = await TestHost.StartAsync(env, services => services.AddSingleton<IAnalyzer>(slow)))
        {
            var duplicates = await run.AssertNothingLostAsync(TimeSpan.FromSeconds(120));
            // The consume loop never waits for a handler, so the group never sees a stalled member:
            // each request is analysed once and published once.
            Assert.Equal(0, duplicates);
            Assert.Equal(run.RequestCount, slow.Calls);
            Assert.All(await run.StoredAsync(), s => Assert.Equal(1, s.Value.Attempts));
        }
    }

    public static TheoryData<string> LlmFailures => ["hangs", "refuses connections", "answers 500"];

    [Theory]
    [MemberData(nameof(LlmFailures))]
    public async Task LlmServerFailing_HybridModeKeepsAnsweringWithTheBuiltinEngine(string failure)
    {
        await using var run = await FaultRun.CreateAsync(output);
        await using var llm = await FakeLlmServer.StartAsync(failure == "hangs" ? _ => FakeReply.Hangs() : _ => FakeReply.ServerError());
        var env = run.Environment(maxInFlight: 32, logLevel: "warning");
        env["ai__mode"] = "hybrid";
        env["ai__provider"] = "ollama";
        env["ai__base_url"] = failure == "refuses connections" ? FakeLlmServer.ClosedPortUrl().ToString() : llm.BaseUrl.ToString();
        env["ai__timeout"] = "2";
        env["ai__retry_attempts"] = "0";
        env["ai__confidence_threshold"] = "1"; // ask the LLM about every excerpt the engine is not certain of
        env["heimdall__timeout_seconds"] = "30";
        await run.ProduceAsync(run.NextBatch(120, poisonEvery: 40));
        await using var bifrost = await TestHost.StartAsync(env);

        await run.AssertNothingLostAsync(TimeSpan.FromSeconds(120));
        var models = run.Results.Records.Select(r => JsonNode.Parse(r.Message.Value!)!["model"]!.GetValue<string>()).Distinct().ToList();
        output.WriteLine($"LLM {failure}: {llm.CallCount} calls reached the fake server; result models: {string.Join(", ", models)}");
        Assert.Equal([LogAnalyzer.ModelName], models);
        if (failure != "refuses connections")
        {
            Assert.True(llm.CallCount > 0, "the LLM was never asked: the scenario did not exercise the fallback");
        }
    }
}
