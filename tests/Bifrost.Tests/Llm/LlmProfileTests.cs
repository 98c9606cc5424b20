using Bifrost.Analyzers;
using Bifrost.FakeLlm;

namespace Bifrost.Tests.Llm;

/// <summary>
/// <c>ai.profiles</c> (Heimdall release 2's <c>model_policy.source</c>): each profile is its own LLM server, falling back
/// to the default provider and then the built-in engine, and the outcome reports what really ran.
/// </summary>
public class LlmProfileTests
{
    private const string Excerpt = "ERROR [api] upstream returned 503 Service Unavailable";

    private static Task<AnalyzerOutcome> Analyze(LlmRig rig, string? profile) =>
        rig.Analyzer.AnalyzeAsync(new AnalyzerRequest(Excerpt, "checkout", "production", "HIGH", "en", profile), CancellationToken.None);

    [Fact]
    public async Task Profile_AsksItsOwnServer_WithItsModelAndKey_AndReportsItsTokens()
    {
        await using var local = await FakeLlmServer.StartAsync();
        await using var cloud = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("builtin", "", "ollama",
            ("ai:profiles:local:base_url", local.BaseUrl.ToString()), ("ai:profiles:local:model", "qwen2.5:7b"),
            ("ai:profiles:cloud:provider", "openai"), ("ai:profiles:cloud:base_url", cloud.OpenAiBaseUrl),
            ("ai:profiles:cloud:model", "gpt-4o-mini"), ("ai:profiles:cloud:api_key", "sk-cloud"));

        var viaLocal = await Analyze(rig, "local");
        var viaCloud = await Analyze(rig, "CLOUD");

        Assert.Equal((1, 1), (local.CallCount, cloud.CallCount));
        Assert.Equal(("llm", "qwen2.5:7b"), (viaLocal.Engine, viaLocal.Model));
        Assert.Equal(("llm", "gpt-4o-mini"), (viaCloud.Engine, viaCloud.Model));
        Assert.Equal("qwen2.5:7b", local.Requests[0].Model);
        Assert.Equal("Bearer sk-cloud", cloud.Requests[0].Authorization);
        Assert.Null(local.Requests[0].Authorization);
        Assert.True(viaCloud.PromptTokens > 0 && viaCloud.CompletionTokens > 0);
        Assert.Equal(viaCloud.TokensUsed, viaCloud.PromptTokens + viaCloud.CompletionTokens);
        Assert.True(viaLocal.PromptTokens > 0 && viaLocal.CompletionTokens > 0);
    }

    [Fact]
    public async Task NoProfile_OrAnUnknownOne_IsTheDefaultAnalyzer_HereTheBuiltinEngine()
    {
        await using var local = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("builtin", "", "ollama", ("ai:profiles:local:base_url", local.BaseUrl.ToString()));

        var none = await Analyze(rig, null);
        var unknown = await Analyze(rig, "cloud");

        Assert.Equal(0, local.CallCount);
        Assert.Equal(("builtin", 0), (none.Engine, none.TokensUsed));
        Assert.Equal("builtin", unknown.Engine);
        Assert.True(rig.Analyzer.AnswersInstantly(null));
        Assert.False(rig.Analyzer.AnswersInstantly("local"));
    }

    [Fact]
    public async Task ProfileServerDown_FallsBackToTheDefaultProvider_ThenItsAnswerIsReported()
    {
        await using var fallback = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", fallback, "ollama",
            ("ai:model", "mistral-7b"), ("ai:profiles:local:base_url", FakeLlmServer.ClosedPortUrl().ToString()));

        var outcome = await Analyze(rig, "local");

        Assert.Equal(1, fallback.CallCount);
        Assert.False(outcome.Fallback);
        Assert.Equal(("llm", "mistral-7b"), (outcome.Engine, outcome.Model));
    }

    [Fact]
    public async Task ProfileServerDown_WithoutADefaultLlm_IsTheBuiltinEngine()
    {
        await using var rig = LlmRig.Create("builtin", "", "ollama", ("ai:profiles:local:base_url", FakeLlmServer.ClosedPortUrl().ToString()));

        var outcome = await Analyze(rig, "local");

        Assert.True(outcome.Fallback);
        Assert.Equal(("builtin", 0), (outcome.Engine, outcome.TokensUsed));
        Assert.StartsWith("bifrost-builtin/", outcome.Model, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultKey_NeverReachesAProfilesServer()
    {
        await using var local = await FakeLlmServer.StartAsync();
        await using var main = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", main, "ollama", ("ai:api_key", "default-secret"), ("ai:profiles:local:base_url", local.BaseUrl.ToString()));

        await Analyze(rig, "local");
        await Analyze(rig, null);

        Assert.Null(local.Requests.Single().Authorization);
        Assert.Equal("Bearer default-secret", main.Requests.Single().Authorization);
    }
}
