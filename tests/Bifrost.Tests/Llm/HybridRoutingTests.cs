using Bifrost.Analysis;
using Bifrost.FakeLlm;
using Bifrost.Llm;

namespace Bifrost.Tests.Llm;

/// <summary>Hybrid mode spends an LLM call only on weak built-in answers or CRITICAL requests.</summary>
public class HybridRoutingTests
{
    private const string Unrecognised = "ERROR [ledger] reconciliation batch finished with mismatched totals";

    private static AnalysisReport Builtin(string category, double confidence) =>
        new("s", "r", "rec", Severity.HIGH, confidence, category, "fp", [], "bifrost-builtin/1.0");

    [Theory]
    [InlineData("resource.memory", 0.9, "NORMAL", false)] // recognised and sure: the engine answers alone
    [InlineData("resource.memory", 0.9, "high", false)]
    [InlineData("resource.memory", 0.9, "critical", true)] // CRITICAL always gets a second opinion
    [InlineData("resource.memory", 0.3, "NORMAL", true)] // below ai.confidence_threshold
    [InlineData("unknown", 0.9, "LOW", true)]            // not recognised
    public void AsksTheLlm_OnlyWhenTheBuiltinAnswerIsWeak_OrPriorityIsCritical(string category, double confidence, string priority, bool asks)
    {
        Assert.Equal(asks, HybridRouting.ShouldAskLlm(Builtin(category, confidence), priority, 0.5));
    }

    [Fact]
    public async Task UnrecognisedFailure_IsAnsweredByTheLlm()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.Json(
            """{"summary":"The ledger's nightly reconciliation found totals that do not match.","root_cause":"A batch was applied twice.","recommendation":"Compare batch ids in the ledger table and replay the missing one.","severity":"HIGH","confidence":0.6,"category":"data.validation"}"""));
        await using var rig = LlmRig.Create("hybrid", server);

        var outcome = await rig.AnalyzeAsync(Unrecognised);

        Assert.Equal(1, server.CallCount);
        Assert.Equal("llm", outcome.Engine);
        Assert.Equal("data.validation", outcome.Report.Category);
        Assert.Equal("mistral-7b", outcome.Model);
    }

    [Fact]
    public async Task RecognisedFailure_IsAnsweredByTheEngineAlone_UnlessCritical()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("hybrid", server);
        const string oom = "2026-11-12 10:30:15 ERROR [checkout] java.lang.OutOfMemoryError: Java heap space";

        var normal = await rig.AnalyzeAsync(oom);
        Assert.Equal(0, server.CallCount);
        Assert.Equal("builtin", normal.Engine);
        Assert.Equal("resource.memory", normal.Report.Category);
        Assert.False(normal.Fallback);

        var critical = await rig.AnalyzeAsync(oom, priority: "critical");
        Assert.Equal(1, server.CallCount);
        Assert.Equal("llm", critical.Engine);
        Assert.Equal("resource.memory", critical.Report.Category);
        Assert.True(critical.Report.Confidence >= normal.Report.Confidence); // model and engine agree: confidence does not drop
    }

    [Fact]
    public async Task LlmDown_LeavesTheBuiltinAnswer_NoRequestLost()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.ServerError());
        await using var rig = LlmRig.Create("hybrid", server, "ollama", ("ai:retry_attempts", "0"));
        await using var builtinRig = LlmRig.Create("builtin", "");
        const string excerpt = Unrecognised;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => rig.AnalyzeAsync($"{excerpt} #{i}", priority: "CRITICAL")));
        var builtin = await builtinRig.AnalyzeAsync(excerpt);

        Assert.Equal(50, outcomes.Length);
        Assert.All(outcomes, o => Assert.True(o.Fallback));
        Assert.All(outcomes, o => Assert.Equal(builtin.Report.Category, o.Report.Category));
        Assert.All(outcomes, o => Assert.Equal(builtin.Model, o.Model));
    }

    [Fact]
    public async Task NoLlmConfigured_DefaultsToBuiltin_AndAnExplicitLlmModeNeedsABaseUrl()
    {
        await using var rig = LlmRig.Create("", "");
        var outcome = await rig.AnalyzeAsync("ERROR something");
        Assert.Equal("builtin", outcome.Engine);
        Assert.False(outcome.Fallback);

        var error = Assert.Throws<Bifrost.Configuration.ConfigurationException>(() => LlmRig.Create("llm", ""));
        Assert.Contains("ai.base_url", error.Message);
    }
}
