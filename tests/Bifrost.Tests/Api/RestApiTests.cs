using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bifrost.Api.Keys;

namespace Bifrost.Tests.Api;

/// <summary>REST endpoints over real HTTP/1.1 (and HTTP/2 cleartext) against the running host on SQLite.</summary>
public sealed class RestApiTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartApiAsync(new() { ["api:max_request_bytes"] = "65536" }, grpc: true);
        _key = await _host.CreateKeyAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnalyzeNow_ReturnsCompletedAnalysisWithResultFields()
    {
        using var client = _host.Client(_key);
        using var response = await client.PostAsync("/api/v1/analysis", Requests.Body(requestId: "now-1", metadata: new { team = "payments" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Json(response);
        Assert.Equal("COMPLETED", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("analysis_id").GetInt64() > 0);
        Assert.Equal("now-1", json.GetProperty("request").GetProperty("request_id").GetString());
        Assert.Equal("payments", json.GetProperty("request").GetProperty("metadata").GetProperty("team").GetString());
        Assert.Equal("HIGH", json.GetProperty("request").GetProperty("priority").GetString());
        var result = json.GetProperty("result");
        foreach (var field in new[] { "summary", "root_cause", "recommendation", "severity", "category", "fingerprint" })
        {
            Assert.False(string.IsNullOrWhiteSpace(result.GetProperty(field).GetString()), field);
        }

        Assert.InRange(result.GetProperty("confidence").GetDouble(), 0, 1);
        Assert.StartsWith("bifrost-builtin/", json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task AcceptedRequest_IsAnalysedInTheBackgroundAndReadable()
    {
        using var client = _host.Client(_key);
        using var accepted = await client.PostAsync("/api/v1/analysis/request", Requests.Body(requestId: "bg-1"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var body = await Json(accepted);
        Assert.Equal("ACCEPTED", body.GetProperty("status").GetString());
        var id = body.GetProperty("analysis_id").GetInt64();
        Assert.Equal($"/api/v1/analysis/result/{id}", accepted.Headers.Location?.OriginalString);

        var status = "";
        for (var i = 0; i < 200 && status != "COMPLETED"; i++)
        {
            using var result = await client.GetAsync($"/api/v1/analysis/result/{id}");
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            var json = await Json(result);
            status = json.GetProperty("status").GetString()!;
            Assert.Contains(status, new[] { "RECEIVED", "PROCESSING", "COMPLETED" });
            if (status == "COMPLETED") Assert.Contains("HikariPool", json.GetProperty("request").GetProperty("log_content").GetString());
            else await Task.Delay(50);
        }

        Assert.Equal("COMPLETED", status);

        // Same request_id again: the same analysis, not a second one.
        using var again = await client.PostAsync("/api/v1/analysis/request", Requests.Body(requestId: "bg-1"));
        Assert.Equal(id, (await Json(again)).GetProperty("analysis_id").GetInt64());
    }

    [Fact]
    public async Task UnknownAnalysis_Is404ProblemDetails()
    {
        using var client = _host.Client(_key);
        using var response = await client.GetAsync("/api/v1/analysis/result/987654321");
        await AssertProblem(response, HttpStatusCode.NotFound);

        using var route = await client.GetAsync("/api/v1/nothing-here");
        await AssertProblem(route, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MissingOrWrongKey_Is401_ReadScope_Is403()
    {
        using var anonymous = _host.Client();
        using var missing = await anonymous.PostAsync("/api/v1/analysis", Requests.Body());
        var problem = await AssertProblem(missing, HttpStatusCode.Unauthorized);
        Assert.Contains("X-API-Key", problem.GetProperty("detail").GetString());
        Assert.Contains("ApiKey", missing.Headers.WwwAuthenticate.ToString());

        using var wrong = _host.Client(ApiKeySecret.NewKey());
        using var wrongResponse = await wrong.GetAsync("/api/v1/analyses");
        await AssertProblem(wrongResponse, HttpStatusCode.Unauthorized);

        using var reader = _host.Client(await _host.CreateKeyAsync(ApiKeyScopes.Read));
        using var forbidden = await reader.PostAsync("/api/v1/analysis", Requests.Body());
        await AssertProblem(forbidden, HttpStatusCode.Forbidden);
        using var allowed = await reader.GetAsync("/api/v1/analyses");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task InvalidFields_Are400WithFieldAndReason()
    {
        using var client = _host.Client(_key);
        using var missing = await client.PostAsync("/api/v1/analysis", new { service_name = "x", environment = "prod", priority = "urgent" });
        var problem = await AssertProblem(missing, HttpStatusCode.BadRequest);
        Assert.Equal("is required", problem.GetProperty("errors").GetProperty("log_content")[0].GetString());
        Assert.Contains("LOW, NORMAL, HIGH, CRITICAL", problem.GetProperty("errors").GetProperty("priority")[0].GetString());

        using var wrongType = await client.PostAsync("/api/v1/analysis/request", new StringContent("""{"log_content":"x","service_name":42,"environment":"prod"}""", Encoding.UTF8, "application/json"));
        problem = await AssertProblem(wrongType, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.service_name", out _), problem.ToString());

        using var badMetadata = await client.PostAsync("/api/v1/analysis", new { log_content = "x", service_name = "x", environment = "dev", metadata = "not an object", request_id = new string('r', 129) });
        problem = await AssertProblem(badMetadata, HttpStatusCode.BadRequest);
        Assert.Contains("JSON object", problem.GetProperty("errors").GetProperty("metadata")[0].GetString());
        Assert.Contains("128", problem.GetProperty("errors").GetProperty("request_id")[0].GetString());

        using var notJson = await client.PostAsync("/api/v1/analysis", new StringContent("{not json", Encoding.UTF8, "application/json"));
        await AssertProblem(notJson, HttpStatusCode.BadRequest);

        using var badQuery = await client.GetAsync("/api/v1/analyses?status=DONE&limit=0");
        problem = await AssertProblem(badQuery, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task WrongContentType_Is415_AndLargeBody_Is413()
    {
        using var client = _host.Client(_key);
        using var text = await client.PostAsync("/api/v1/analysis", new StringContent("log_content=x", Encoding.UTF8, "text/plain"));
        await AssertProblem(text, HttpStatusCode.UnsupportedMediaType);

        var big = new string('x', 100_000); // limit in this host: 64 KiB
        using var large = await client.PostAsync("/api/v1/analysis", Requests.Body(log: big));
        var problem = await AssertProblem(large, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("65536", problem.GetProperty("detail").GetString());

        // Chunked (no Content-Length): rejected while reading, same answer.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Requests.Body(log: big)))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/analysis") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(request);
        await AssertProblem(chunked, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task History_FiltersAndPagesWithCursor_StatsAndPatternsCount()
    {
        using var client = _host.Client(_key);
        var service = "hist-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            using var r = await client.PostAsync("/api/v1/analysis", Requests.Body(service: service, log: $"java.lang.OutOfMemoryError: Java heap space (worker {i})"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        using var page1 = await client.GetAsync($"/api/v1/analyses?service={service}&status=completed&limit=2");
        var json1 = await Json(page1);
        Assert.Equal(2, json1.GetProperty("items").GetArrayLength());
        var cursor = json1.GetProperty("next_cursor").GetString();
        Assert.False(string.IsNullOrEmpty(cursor));
        using var page2 = await client.GetAsync($"/api/v1/analyses?service={service}&limit=2&cursor={Uri.EscapeDataString(cursor!)}");
        var json2 = await Json(page2);
        Assert.Equal(1, json2.GetProperty("items").GetArrayLength());
        var ids = json1.GetProperty("items").EnumerateArray().Concat(json2.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("analysis_id").GetInt64()).ToList();
        Assert.Equal(3, ids.Distinct().Count());

        using var text = await client.GetAsync($"/api/v1/analyses?service={service}&q=worker%202");
        Assert.Equal(1, (await Json(text)).GetProperty("items").GetArrayLength());
        using var none = await client.GetAsync($"/api/v1/analyses?service={service}&severity=LOW&environment=prod&category=nothing.such");
        Assert.Equal(0, (await Json(none)).GetProperty("items").GetArrayLength());

        using var stats = await client.GetAsync("/api/v1/stats");
        var statsJson = await Json(stats);
        Assert.Equal(3, statsJson.GetProperty("by_service").GetProperty(service).GetInt64());
        Assert.True(statsJson.GetProperty("total").GetInt64() >= 3);

        using var patterns = await client.GetAsync("/api/v1/patterns?limit=50");
        var top = (await Json(patterns)).GetProperty("patterns").EnumerateArray()
            .First(p => p.GetProperty("latest").GetProperty("request").GetProperty("service_name").GetString() == service);
        Assert.True(top.GetProperty("count").GetInt64() >= 3);
        Assert.False(string.IsNullOrEmpty(top.GetProperty("fingerprint").GetString()));
    }

    [Fact]
    public async Task EveryEndpoint_AlsoAnswersOverHttp2Cleartext_OnTheHttp2Port()
    {
        using var client = new HttpClient { BaseAddress = _host.Grpc, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        client.DefaultRequestHeaders.Add("X-API-Key", _key);
        using var now = await client.PostAsync("/api/v1/analysis", Requests.Body(service: "h2"));
        Assert.Equal(HttpVersion.Version20, now.Version);
        Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        using var accepted = await client.PostAsync("/api/v1/analysis/request", Requests.Body(service: "h2"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await Json(accepted)).GetProperty("analysis_id").GetInt64();
        foreach (var path in new[] { $"/api/v1/analysis/result/{id}", "/api/v1/analyses?service=h2", "/api/v1/stats", "/api/v1/patterns", "/health/live", "/health/ready", "/openapi/v1.json" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }

        using var missing = await client.GetAsync("/api/v1/analysis/result/987654321");
        await AssertProblem(missing, HttpStatusCode.NotFound);
        using var unauthorized = await new HttpClient { BaseAddress = _host.Grpc, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact }.GetAsync("/api/v1/analyses");
        await AssertProblem(unauthorized, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task HealthOpenApiAndReferencePage_AreServedWithoutKey()
    {
        using var client = _host.Client();
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await Json(ready)).GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("disabled", checks.GetProperty("kafka").GetProperty("description").GetString());

        using var openapi = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
        var doc = await Json(openapi);
        foreach (var path in new[] { "/api/v1/analysis/request", "/api/v1/analysis/result/{analysisId}", "/api/v1/analysis", "/api/v1/analyses", "/api/v1/stats", "/api/v1/patterns" })
        {
            Assert.True(doc.GetProperty("paths").TryGetProperty(path, out _), path);
        }

        Assert.True(doc.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
        using var docs = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("text/html", docs.Content.Headers.ContentType?.ToString());
    }

    internal static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrEmpty(text), $"{(int)response.StatusCode}: empty body");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
        return json;
    }
}
