using System.Text.Json;
using Bifrost.FakeLlm;

namespace Bifrost.Tests.Llm;

public class LlmWireFormatTests
{
    private const string Excerpt = "2026-11-12 10:30:15 ERROR [checkout] java.lang.OutOfMemoryError: Java heap space\n\tat com.shop.Cart.add(Cart.java:42)";

    [Fact]
    public async Task Ollama_RequestIsNativeApiChat_WithSchemaFormatAndOptions()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", server, "ollama", ("ai:max_tokens", "321"), ("ai:temperature", "0.2"));

        var outcome = await rig.AnalyzeAsync(Excerpt);

        var request = Assert.Single(server.Requests);
        Assert.Equal("ollama", request.Protocol);
        Assert.Equal("/api/chat", request.Path);
        Assert.Equal("mistral-7b", request.Model);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        var format = request.Body.GetProperty("format");
        Assert.Equal(JsonValueKind.Object, format.ValueKind); // a JSON schema, not just "json"
        Assert.Equal("object", format.GetProperty("type").GetString());
        Assert.Contains("root_cause", format.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var options = request.Body.GetProperty("options");
        Assert.Equal(321, options.GetProperty("num_predict").GetInt32());
        Assert.Equal(0.2, options.GetProperty("temperature").GetDouble(), 3);
        Assert.Contains("OutOfMemoryError", request.FencedExcerpt);

        Assert.Equal("llm", outcome.Engine);
        Assert.Equal("mistral-7b", outcome.Model);
        Assert.Equal("resource.memory", outcome.Report.Category);
        Assert.True(outcome.TokensUsed > 0);
        Assert.False(outcome.Fallback);
    }

    [Fact]
    public async Task OpenAi_RequestIsChatCompletions_WithResponseFormatMaxTokensAndBearerKey()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", server, "openai", ("ai:api_key", "sk-test-123"), ("ai:max_tokens", "321"));

        var outcome = await rig.AnalyzeAsync(Excerpt);

        var request = Assert.Single(server.Requests);
        Assert.Equal("openai", request.Protocol);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-123", request.Authorization);
        Assert.Equal("mistral-7b", request.Model);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        var format = request.Body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("object", format.GetProperty("json_schema").GetProperty("schema").GetProperty("type").GetString());
        var maxTokens = request.Body.TryGetProperty("max_tokens", out var mt) ? mt : request.Body.GetProperty("max_completion_tokens");
        Assert.Equal(321, maxTokens.GetInt32());

        Assert.Equal("llm", outcome.Engine);
        Assert.Equal("resource.memory", outcome.Report.Category);
        Assert.True(outcome.TokensUsed > 0);
    }

    [Fact]
    public async Task JsonMode_SendsPlainJsonFormat()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", server, "ollama", ("ai:structured_output", "json"));

        await rig.AnalyzeAsync(Excerpt);

        Assert.Equal("json", Assert.Single(server.Requests).Body.GetProperty("format").GetString());
    }
}
