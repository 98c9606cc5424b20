using Bifrost.Analyzers;
using Bifrost.Commands;
using Bifrost.FakeLlm;
using Bifrost.Llm;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Llm;

/// <summary>`bifrost serve` and `bifrost analyze` select the analyzer by configuration only.</summary>
public sealed class LlmEntryPointTests : IDisposable
{
    private const string Unrecognised = "ERROR [ledger] reconciliation batch finished with mismatched totals";
    private readonly string directory = Directory.CreateTempSubdirectory("bifrost-llm-").FullName;

    public LlmEntryPointTests() => EngineWarmUp.Ensure();

    private string ConfigFile(string mode, string baseUrl, string provider = "ollama")
    {
        var path = Path.Combine(directory, $"{mode}-{provider}.yaml");
        File.WriteAllText(path, $"""
            ai:
              mode: {mode}
              provider: {provider}
              base_url: {baseUrl}
              model: mistral-7b
              api_key: ${"{"}TEST_LLM_KEY:sk-from-config{"}"}
              timeout: 5
            """);
        return path;
    }

    [Theory]
    [InlineData("builtin", typeof(BuiltinAnalyzer))]
    [InlineData("llm", typeof(LlmAnalyzer))]
    [InlineData("hybrid", typeof(HybridAnalyzer))]
    public async Task ServeHost_UsesTheAnalyzerTheConfigNames(string mode, Type expected)
    {
        await using var server = await FakeLlmServer.StartAsync();
        var environment = new Dictionary<string, string> { ["BIFROST_SERVICES_DIR"] = directory };

        await using var app = TestHost.Build(environment, ConfigFile(mode, server.OpenAiBaseUrl, "openai"));
        var analyzer = app.Services.GetRequiredService<IAnalyzer>();
        var outcome = await analyzer.AnalyzeAsync(new AnalyzerRequest(Unrecognised, "ledger", "prod"), CancellationToken.None);

        Assert.IsType(expected, analyzer);
        Assert.Equal(mode == "builtin" ? 0 : 1, server.CallCount);
        if (mode != "builtin")
        {
            Assert.Equal("Bearer sk-from-config", server.Requests[0].Authorization);
            Assert.False(outcome.Fallback);
        }
    }

    [Fact]
    public async Task AnalyzeCommand_EngineLlm_AsksTheConfiguredServer()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await AnalyzeCommand.RunWithEngineAsync(Unrecognised, output, error, new AnalyzeOptions(Format: "json"), "llm", ConfigFile("builtin", server.BaseUrl.ToString()), CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(1, server.CallCount);
        Assert.Contains("\"model\": \"mistral-7b", output.ToString());
        Assert.Contains("\"engine\": \"llm\"", output.ToString());
    }

    [Fact]
    public async Task AnalyzeCommand_InvalidEngine_IsOneLineNamingTheKey()
    {
        var error = new StringWriter();

        var code = await AnalyzeCommand.RunWithEngineAsync(Unrecognised, new StringWriter(), error, new AnalyzeOptions(), "gpt", ConfigFile("builtin", "http://127.0.0.1:1/"), CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Equal("invalid configuration: ai.mode must be builtin, llm or hybrid (got 'gpt')", error.ToString().Trim());
    }

    [Fact]
    public async Task CallersDeadline_FiringFirst_StillGetsTheBuiltinAnswer()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.Hangs());
        await using var rig = LlmRig.Create("llm", server, "ollama", ("ai:timeout", "600"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var outcome = await rig.Analyzer.AnalyzeAsync(new AnalyzerRequest(Unrecognised, "ledger", "prod"), deadline.Token);

        Assert.True(outcome.Fallback);
        Assert.Equal("builtin", outcome.Engine);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
