using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bifrost.Api.Keys;
using Bifrost.Api.V1;
using Bifrost.FakeLlm;
using Bifrost.Tests.Api;
using Grpc.Core;
using Grpc.Net.Client;

namespace Bifrost.Tests.Knowledge;

/// <summary>The feedback, runbook and ask endpoints of a real host (SQLite, keys required): answers, refusals, gRPC.</summary>
public sealed class KnowledgeApiTests : IAsyncLifetime
{
    private const string PoolLog = "2026-03-10 09:12:31.045 ERROR 7 --- [nio-8080-exec-87] HikariPool-1 - Connection is not available, request timed out after 30000ms.";

    private const string Runbook = """
        # Databases
        ## Connection pool exhausted
        Symptoms: `HikariPool-1 - Connection is not available, request timed out after 30000ms`, `FATAL: sorry, too many clients already`.
        Kill long idle-in-transaction sessions; keep replicas × pool size under max_connections.
        ## Paging
        Escalate to the secondary after 15 minutes.
        """;

    private TestHost _host = null!;
    private HttpClient _write = null!;
    private HttpClient _read = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" }, grpc: true);
        _write = _host.Client(await _host.CreateKeyAsync(ApiKeyScopes.Write, "oncall-a"));
        _read = _host.Client(await _host.CreateKeyAsync(ApiKeyScopes.Read, "viewer"));
    }

    public async Task DisposeAsync()
    {
        _write.Dispose();
        _read.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<JsonElement> AnalyzeAsync(string log = PoolLog, string service = "orders")
    {
        var response = await _write.PostAsJsonAsync("/api/v1/analysis", new { log_content = log, service_name = service, environment = "prod" });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Feedback_Refusals_NameTheProblem()
    {
        var id = (await AnalyzeAsync()).GetProperty("analysis_id").GetInt64();
        using var anonymous = _host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/v1/analyses/{id}/feedback", new { helpful = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _read.PostAsJsonAsync($"/api/v1/analyses/{id}/feedback", new { helpful = true })).StatusCode);

        var bad = await Problem(await _write.PostAsJsonAsync($"/api/v1/analyses/{id}/feedback", new { category = "database.pool", severity = "URGENT" }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("category", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("severity", out _));
        await Problem(await _write.PostAsJsonAsync($"/api/v1/analyses/{id}/feedback", new { }), HttpStatusCode.BadRequest);
        await Problem(await _write.PostAsJsonAsync($"/api/v1/analyses/{id}/feedback", new { note = new string('n', 2001) }), HttpStatusCode.BadRequest);
        await Problem(await _write.PostAsJsonAsync("/api/v1/analyses/987654321/feedback", new { helpful = true }), HttpStatusCode.NotFound);
        await Problem(await _write.PutAsJsonAsync("/api/v1/feedback/987654321", new { helpful = true }), HttpStatusCode.NotFound);
        await Problem(await _read.GetAsync("/api/v1/feedback/987654321"), HttpStatusCode.NotFound);
        await Problem(await _read.GetAsync("/api/v1/feedback?kind=angry"), HttpStatusCode.BadRequest);

        var vote = await (await _write.PostAsJsonAsync($"/api/v1/analyses/{id}/feedback", new { helpful = false })).Content.ReadFromJsonAsync<JsonElement>();
        var voteId = vote.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await _write.PostAsync($"/api/v1/feedback/{voteId}/withdraw", null)).StatusCode);
        var again = await Problem(await _write.PostAsync($"/api/v1/feedback/{voteId}/withdraw", null), HttpStatusCode.Conflict);
        Assert.Contains("withdrawn by oncall-a", again.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_EditListAndStats_ReadableWithAReadKey()
    {
        var analysis = await AnalyzeAsync(service: "billing");
        var id = analysis.GetProperty("analysis_id").GetInt64();
        var created = await _write.PostAsJsonAsync($"/api/v1/analyses/{id}/feedback", new { helpful = false, note = "password=hunter2 was in the URL, rotated" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var entry = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain("hunter2", entry.GetProperty("note").GetString(), StringComparison.Ordinal); // redacted before it was stored
        Assert.Equal(created.Headers.Location!.ToString(), $"/api/v1/feedback/{entry.GetProperty("id").GetInt64()}");

        var edited = await (await _write.PutAsJsonAsync($"/api/v1/feedback/{entry.GetProperty("id").GetInt64()}", new { helpful = true, severity = "low", service_specific = true }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((true, "LOW", true, "oncall-a"), (edited.GetProperty("helpful").GetBoolean(), edited.GetProperty("severity").GetString(), edited.GetProperty("service_specific").GetBoolean(), edited.GetProperty("updated_by").GetString()));
        Assert.False(edited.TryGetProperty("note", out _)); // replaced: no note any more

        var list = await _read.GetFromJsonAsync<JsonElement>($"/api/v1/feedback?fingerprint={analysis.GetProperty("result").GetProperty("fingerprint").GetString()}&kind=correction");
        Assert.Equal(edited.GetProperty("id").GetInt64(), list.GetProperty("items")[0].GetProperty("id").GetInt64());
        var stats = await _read.GetFromJsonAsync<JsonElement>("/api/v1/feedback/stats");
        Assert.True(stats.GetProperty("total").GetProperty("helpful").GetInt64() >= 1);
        Assert.Contains(stats.GetProperty("by_service").EnumerateArray(), s => s.GetProperty("key").GetString() == "billing");
    }

    [Fact]
    public async Task Runbooks_AddListRemove_AndTheNextAnalysisCitesThem()
    {
        await Problem(await _write.PostAsJsonAsync("/api/v1/runbooks", new { markdown = "# x" }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Forbidden, (await _read.PostAsJsonAsync("/api/v1/runbooks", new { source = "a.md", markdown = "# x\ny" })).StatusCode);

        var added = await _write.PostAsJsonAsync("/api/v1/runbooks", new { source = "runbooks/db.md", markdown = Runbook });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var import = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 0), (import.GetProperty("added").GetInt32(), import.GetProperty("removed").GetInt32()));
        var sections = import.GetProperty("sections").EnumerateArray().Select(s => (s.GetProperty("title").GetString(), s.TryGetProperty("category", out var c) ? c.GetString() : null)).ToList();
        Assert.Equal([("Connection pool exhausted", "database.pool_exhausted"), ("Paging", null)], sections); // the document title has no text of its own

        var analysis = await AnalyzeAsync();
        Assert.EndsWith("\nTeam runbook: “Connection pool exhausted” (runbooks/db.md#connection-pool-exhausted).", analysis.GetProperty("result").GetProperty("recommendation").GetString(), StringComparison.Ordinal);
        var citations = await _read.GetFromJsonAsync<JsonElement>($"/api/v1/analyses/{analysis.GetProperty("analysis_id").GetInt64()}/citations");
        Assert.Equal("Connection pool exhausted", Assert.Single(citations.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
        // An unrelated failure gets no citation at all, not the nearest weak match.
        var unrelated = await AnalyzeAsync("ERROR java.lang.OutOfMemoryError: Java heap space", "reports");
        Assert.Empty((await _read.GetFromJsonAsync<JsonElement>($"/api/v1/analyses/{unrelated.GetProperty("analysis_id").GetInt64()}/citations")).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain("Team runbook", unrelated.GetProperty("result").GetProperty("recommendation").GetString(), StringComparison.Ordinal);

        var sources = await _read.GetFromJsonAsync<JsonElement>("/api/v1/runbooks");
        Assert.Equal(("runbooks/db.md", 2, "oncall-a"), (sources.GetProperty("items")[0].GetProperty("source_path").GetString(), sources.GetProperty("items")[0].GetProperty("sections").GetInt32(), sources.GetProperty("items")[0].GetProperty("added_by").GetString()));
        var body = (await _read.GetFromJsonAsync<JsonElement>("/api/v1/runbooks/sections?source=runbooks/db.md")).GetProperty("items")[0].GetProperty("body").GetString();
        Assert.Contains("max_connections", body, StringComparison.Ordinal);

        await Problem(await _write.DeleteAsync("/api/v1/runbooks?source=runbooks/none.md"), HttpStatusCode.NotFound);
        Assert.Equal(2, (await _write.DeleteFromJsonAsync<JsonElement>("/api/v1/runbooks?source=runbooks/db.md")).GetProperty("removed").GetInt32());
        Assert.DoesNotContain("Team runbook", (await AnalyzeAsync()).GetProperty("result").GetProperty("recommendation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_WithoutLlm_QuotesTheBestSectionAndPastAnalyses()
    {
        await _write.PostAsJsonAsync("/api/v1/runbooks", new { source = "runbooks/db.md", markdown = Runbook });
        var past = await AnalyzeAsync(service: "ask-svc");
        await _write.PostAsJsonAsync($"/api/v1/analyses/{past.GetProperty("analysis_id").GetInt64()}/feedback", new { note = "raised the Hikari pool to 30 after the leak fix" });

        var answer = await (await _read.PostAsJsonAsync("/api/v1/ask", new { question = "What do we do when the Hikari connection pool is not available?" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("search", answer.GetProperty("engine").GetString());
        Assert.Equal("Connection pool exhausted", answer.GetProperty("sections")[0].GetProperty("title").GetString());
        Assert.StartsWith("From the team runbook “Connection pool exhausted”", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
        var cited = answer.GetProperty("analyses")[0];
        Assert.Equal(past.GetProperty("analysis_id").GetInt64(), cited.GetProperty("analysis_id").GetInt64());
        Assert.Equal("raised the Hikari pool to 30 after the leak fix", cited.GetProperty("note").GetString());

        await Problem(await _read.PostAsJsonAsync("/api/v1/ask", new { question = "?" }), HttpStatusCode.BadRequest);
        await Problem(await _read.PostAsJsonAsync("/api/v1/ask", new { question = "what now", language = "fr" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Feedback_OverGrpc_WriteKeyNeeded_SameRulesAsRest()
    {
        var id = (await AnalyzeAsync(service: "grpc-svc")).GetProperty("analysis_id").GetInt64();
        using var channel = GrpcChannel.ForAddress(_host.Grpc!);
        var client = new Bifrost.Api.V1.Feedback.FeedbackClient(channel);
        var writeKey = new Metadata { { "x-api-key", await _host.CreateKeyAsync(ApiKeyScopes.Write, "grpc-oncall") } };
        var readKey = new Metadata { { "x-api-key", await _host.CreateKeyAsync(ApiKeyScopes.Read, "grpc-viewer") } };

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await client.AddAsync(new AddFeedbackRequest { AnalysisId = id, Feedback = new FeedbackInput { Helpful = true } }, readKey));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var invalid = await Assert.ThrowsAsync<RpcException>(async () => await client.AddAsync(new AddFeedbackRequest { AnalysisId = id, Feedback = new FeedbackInput { Category = "nope" } }, writeKey));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await client.AddAsync(new AddFeedbackRequest { AnalysisId = 987654321, Feedback = new FeedbackInput { Helpful = true } }, writeKey));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var entry = await client.AddAsync(new AddFeedbackRequest { AnalysisId = id, Feedback = new FeedbackInput { Category = "database.deadlock", Severity = "HIGH", Note = "see INC-1" } }, writeKey);
        Assert.Equal(("grpc-oncall", "database.deadlock", "HIGH", "see INC-1"), (entry.Author, entry.Feedback.Category, entry.Feedback.Severity, entry.Feedback.Note));
        Assert.Null(entry.Feedback.Helpful);
        var withdrawn = await client.WithdrawAsync(new WithdrawFeedbackRequest { Id = entry.Id }, writeKey);
        Assert.NotNull(withdrawn.WithdrawnAt);
        var listed = await client.ListAsync(new ListFeedbackRequest { AnalysisId = id }, readKey);
        Assert.Equal("grpc-oncall", Assert.Single(listed.Items).WithdrawnBy);
    }

    [Fact]
    public async Task OpenApi_DescribesTheKnowledgeEndpoints()
    {
        var doc = await _read.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        foreach (var path in new[] { "/api/v1/analyses/{analysisId}/feedback", "/api/v1/feedback", "/api/v1/feedback/stats", "/api/v1/feedback/{id}", "/api/v1/feedback/{id}/withdraw",
            "/api/v1/runbooks", "/api/v1/runbooks/sections", "/api/v1/runbooks/sections/{id}", "/api/v1/analyses/{analysisId}/citations", "/api/v1/ask" })
        {
            Assert.True(doc.GetProperty("paths").TryGetProperty(path, out _), path);
        }
    }

    [Fact]
    public async Task LlmAnalyses_AreCorrectedAndCiteRunbooksToo()
    {
        await using var llm = await FakeLlmServer.StartAsync();
        await using var host = await TestHost.StartApiAsync(new() { ["api:auth"] = "disabled", ["ai:mode"] = "llm", ["ai:base_url"] = llm.BaseUrl.ToString(), ["ai:provider"] = "ollama" });
        using var http = host.Client();
        (await http.PostAsJsonAsync("/api/v1/runbooks", new { source = "runbooks/db.md", markdown = Runbook })).EnsureSuccessStatusCode();
        async Task<JsonElement> Analyze() => await (await http.PostAsJsonAsync("/api/v1/analysis", new { log_content = PoolLog, service_name = "llm-svc", environment = "prod" })).Content.ReadFromJsonAsync<JsonElement>();

        var first = await Analyze();
        Assert.Equal("llm", first.GetProperty("engine").GetString());
        Assert.Contains("Team runbook: “Connection pool exhausted”", first.GetProperty("result").GetProperty("recommendation").GetString(), StringComparison.Ordinal);
        (await http.PostAsJsonAsync($"/api/v1/analyses/{first.GetProperty("analysis_id").GetInt64()}/feedback", new { severity = "LOW" })).EnsureSuccessStatusCode();

        var second = await Analyze();
        Assert.Equal(("llm+feedback", "LOW"), (second.GetProperty("engine").GetString(), second.GetProperty("result").GetProperty("severity").GetString()));
        Assert.EndsWith("+feedback", second.GetProperty("model").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_WithLlm_AnswersFromTheCitedSourcesOnly_FallsBackWhenItFails()
    {
        await using var llm = await FakeLlmServer.StartAsync(_ => FakeReply.Text("Kill the idle sessions and keep replicas × pool size under max_connections [S1]."));
        await using var host = await TestHost.StartApiAsync(new() { ["api:auth"] = "disabled", ["ai:mode"] = "hybrid", ["ai:base_url"] = llm.BaseUrl.ToString(), ["ai:provider"] = "ollama" });
        using var http = host.Client();
        await http.PostAsJsonAsync("/api/v1/runbooks", new { source = "runbooks/db.md", markdown = Runbook });
        var calls = llm.CallCount;

        var answer = await (await http.PostAsJsonAsync("/api/v1/ask", new { question = "what do we do when the Hikari pool is exhausted?" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("llm", "Kill the idle sessions and keep replicas × pool size under max_connections [S1]."), (answer.GetProperty("engine").GetString(), answer.GetProperty("answer").GetString()));
        var prompt = llm.Requests[calls].UserPrompt;
        Assert.Contains("[S1] runbook section \"Connection pool exhausted\" (runbooks/db.md)", prompt, StringComparison.Ordinal);
        Assert.Contains("<sources>", prompt, StringComparison.Ordinal);

        llm.Responder = _ => FakeReply.ServerError();
        var fallback = await (await http.PostAsJsonAsync("/api/v1/ask", new { question = "what do we do when the Hikari pool is exhausted?" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("search", true), (fallback.GetProperty("engine").GetString(), fallback.GetProperty("fallback").GetBoolean()));
        Assert.StartsWith("From the team runbook “Connection pool exhausted”", fallback.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }
}
