using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bifrost.Api.Keys;
using Bifrost.FakeLlm;
using Bifrost.Tests.Api;

namespace Bifrost.Tests.Heimdall;

/// <summary>The original service's routes release 2 calls, on the real host: plain JSON maps, same keys and limits.</summary>
public class HeimdallRoutesTests
{
    private static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Health_IsAPlainMap_BehindTheApiKeys()
    {
        await using var host = await TestHost.StartApiAsync();
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/health")).StatusCode);

        using var client = host.Client(await host.CreateKeyAsync(ApiKeyScopes.Read));
        var response = await client.GetAsync("/health");
        var health = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (string?)health["status"]);
        Assert.Equal("ok", (string?)health["components"]!["database"]);
        Assert.Equal("not_configured", (string?)health["components"]!["heimdall_database"]);
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", (string?)health["timestamp"]);
    }

    [Fact]
    public async Task Analyze_CopiesLogToLogContent_AndAnswersTheOriginalMap_ThenHistoryPagesByOffset()
    {
        await using var host = await TestHost.StartApiAsync();
        using var client = host.Client(await host.CreateKeyAsync());

        var first = await client.PostAsJsonAsync("/analyze", new { log = "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms", service_name = "payment-service", environment = "production", tags = new[] { "p1" } });
        var second = await client.PostAsJsonAsync("/analyze", new { log_content = "java.lang.OutOfMemoryError: Java heap space", service_name = "order-api" });
        var answer = await Json(first);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True((long)answer["id"]! > 0);
        Assert.Contains("Summary: ", (string?)answer["response"], StringComparison.Ordinal);
        Assert.StartsWith("bifrost-builtin/", (string?)answer["model"], StringComparison.Ordinal);
        Assert.False((bool)answer["cached"]!);
        Assert.NotNull(answer["duration_seconds"]);
        Assert.False(string.IsNullOrEmpty((string?)answer["category"])); // what Bifrost adds to the original map
        Assert.Equal("unknown", (string?)(await Json(second))["environment"]);

        var history = (await Json(await client.PostAsJsonAsync("/history", new { limit = 1, offset = 1 }))).AsArray();
        Assert.Equal((long)answer["id"]!, (long)Assert.Single(history)!["id"]!); // newest first: offset 1 is the first analysis
        Assert.Equal(2, (await Json(await client.PostAsJsonAsync("/history", new { }))).AsArray().Count);
        Assert.Equal("payment-service", (string?)(await Json(await client.PostAsJsonAsync("/history", new { service_name = "payment-service" }))).AsArray().Single()!["service_name"]);
    }

    [Theory]
    [InlineData("/analyze", "{\"service_name\":\"x\"}", "log_content")]
    [InlineData("/analyze", "{\"log\":\"ERROR x\",\"source\":\"moon\"}", "source")]
    [InlineData("/analyze", "[1]", "body")]
    [InlineData("/history", "{\"limit\":0}", "limit")]
    [InlineData("/history", "{\"limit\":501}", "limit")]
    [InlineData("/history", "{\"offset\":-1}", "offset")]
    [InlineData("/history", "{\"limit\":\"10\"}", "limit")]
    public async Task BadBodies_Are400ProblemsNamingTheField(string path, string body, string field)
    {
        await using var host = await TestHost.StartApiAsync();
        using var client = host.Client(await host.CreateKeyAsync());

        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]![field]);
    }

    [Fact]
    public async Task Analyze_NeedsTheWriteScope_AndTheBodyLimit()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:max_request_bytes"] = "2000" });
        using var reader = host.Client(await host.CreateKeyAsync(ApiKeyScopes.Read));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/analyze", new { log = "ERROR x" })).StatusCode);

        using var writer = host.Client(await host.CreateKeyAsync());
        var tooBig = await writer.PostAsJsonAsync("/analyze", new { log = new string('x', 5000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
    }

    [Fact]
    public async Task Analyze_SourceCloud_AsksTheCloudProfile()
    {
        await using var cloud = await FakeLlmServer.StartAsync();
        await using var host = await TestHost.StartApiAsync(new()
        {
            ["ai:profiles:cloud:provider"] = "openai", ["ai:profiles:cloud:base_url"] = cloud.OpenAiBaseUrl, ["ai:profiles:cloud:model"] = "gpt-4o-mini",
        });
        using var client = host.Client(await host.CreateKeyAsync());

        var answer = await Json(await client.PostAsJsonAsync("/analyze", new { log = "ERROR [api] upstream returned 503 Service Unavailable", source = "cloud" }));

        Assert.Equal(1, cloud.CallCount);
        Assert.Equal("gpt-4o-mini", (string?)answer["model"]);
        Assert.True((int)answer["tokens_used"]! > 0);
    }
}
