using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bifrost.Feedback;
using Bifrost.Knowledge;
using Bifrost.Runbooks;
using Bifrost.Tests.Api;

namespace Bifrost.Tests.Knowledge;

/// <summary>
/// The `runbooks`, `feedback export` and `ask` commands on the real PostgreSQL, and running services noticing what
/// another process changed (the version poll, <c>knowledge.refresh_seconds</c>).
/// </summary>
public sealed class KnowledgeCommandTests
{
    private const string PoolLog = "2026-03-10 09:12:31.045 ERROR 7 --- [nio-8080-exec-87] HikariPool-1 - Connection is not available, request timed out after 30000ms. contact dba@example.com";

    private const string Runbook = """
        # Databases
        ## Connection pool exhausted
        Symptoms: `HikariPool-1 - Connection is not available, request timed out after 30000ms`.
        Kill long idle-in-transaction sessions; keep replicas × pool size under max_connections.
        """;

    [Fact]
    public async Task CliAndOtherInstances_Changes_ReachRunningServicesThroughThePoll()
    {
        await using var db = await TestDatabase.CreateAsync();
        var poll = new Dictionary<string, string?> { ["api:auth"] = "disabled", ["knowledge:refresh_seconds"] = "0.2" };
        await using var a = await TestHost.StartApiAsync(poll, databaseUrl: db.Url);
        await using var b = await TestHost.StartApiAsync(poll, databaseUrl: db.Url);
        using var httpA = a.Client();
        using var httpB = b.Client();
        var first = await AnalyzeAsync(httpA);
        Assert.DoesNotContain("Team runbook", Recommendation(first), StringComparison.Ordinal);

        // The CLI writes straight to the database; service A learns of it from the version counter.
        var folder = Directory.CreateTempSubdirectory("bifrost-runbooks-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "runbooks"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "runbooks", "db.md"), Runbook);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "runbooks", "notes.txt"), "not markdown: ignored");
            using var add = BifrostProcess.Start(new Dictionary<string, string>(), "runbooks", "add", Path.Combine(folder.FullName, "runbooks"), "--database-url", db.Url, "--by", "ci");
            Assert.Equal(0, await add.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("db.md: 1 sections", add.Output, StringComparison.Ordinal);
            Assert.Contains("1 file(s), 1 sections", add.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        var cited = await EventuallyAsync(() => AnalyzeAsync(httpA), r => Recommendation(r).Contains("Team runbook: “Connection pool exhausted”", StringComparison.Ordinal));

        // A correction made through instance B applies to instance A's next analysis of the same failure.
        var correction = await httpB.PostAsJsonAsync($"/api/v1/analyses/{cited.GetProperty("analysis_id").GetInt64()}/feedback",
            new { category = "database.connection", severity = "CRITICAL", note = "db-2 was failing over, see INC-77" });
        Assert.Equal(System.Net.HttpStatusCode.Created, correction.StatusCode);
        var corrected = await EventuallyAsync(() => AnalyzeAsync(httpA), r => r.GetProperty("result").GetProperty("category").GetString() == "database.connection");
        Assert.Equal(("CRITICAL", "builtin+feedback"), (corrected.GetProperty("result").GetProperty("severity").GetString(), corrected.GetProperty("engine").GetString()));

        // Export: the corrected excerpt in the evaluation corpus's shape, redacted.
        using var export = BifrostProcess.Start(new Dictionary<string, string>(), "feedback", "export", "--database-url", db.Url);
        Assert.Equal(0, await export.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var row = JsonNode.Parse(export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith('{')))!.AsObject();
        Assert.Equal(["id", "category", "severity", "difficulty", "environment", "service_name", "log_content", "root_cause", "source"], row.Select(p => p.Key));
        Assert.Equal(("database.connection", "CRITICAL", "hard", "prod", "db-2 was failing over, see INC-77"),
            (row["category"]!.GetValue<string>(), row["severity"]!.GetValue<string>(), row["difficulty"]!.GetValue<string>(), row["environment"]!.GetValue<string>(), row["root_cause"]!.GetValue<string>()));
        Assert.Contains("HikariPool-1", row["log_content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("dba@example.com", row["log_content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"bifrost:analysis/{cited.GetProperty("analysis_id").GetInt64()}#feedback/{row["id"]!.GetValue<string>()[1..]}", row["source"]!.GetValue<string>());

        using var ask = BifrostProcess.Start(new Dictionary<string, string>(), "ask", "what if the hikari pool has no connection available?", "--database-url", db.Url, "--format", "json");
        Assert.Equal(0, await ask.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var answer = JsonNode.Parse(ask.Output[ask.Output.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.Equal("Connection pool exhausted", answer["sections"]![0]!["title"]!.GetValue<string>());
        Assert.Equal("search", answer["engine"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunbooksHandlers_RelativePaths_ReplaceListRemove()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var knowledge = await KnowledgeCli.OpenAsync(db.Url, null, default);
        var store = new PostgresRunbookStore(knowledge);
        var folder = Directory.CreateTempSubdirectory("bifrost-runbooks-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "team"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "team", "db.md"), Runbook);
            var output = new StringWriter();
            var error = new StringWriter();
            Assert.Equal(0, await RunbooksCommand.AddAsync(store, ["team"], "alice", folder.FullName, output, error, default));
            Assert.Equal(0, await RunbooksCommand.AddAsync(store, ["./team/db.md"], "bob", folder.FullName, output, error, default));
            Assert.Contains("added team/db.md: 1 sections (replaced 1)", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, await RunbooksCommand.AddAsync(store, ["missing.md"], "bob", folder.FullName, output, error, default));
            Assert.Contains("missing.md: no such file or folder", error.ToString(), StringComparison.Ordinal);

            var list = new StringWriter();
            Assert.Equal(0, await RunbooksCommand.ListAsync(store, sections: true, list, default));
            Assert.Contains("database.pool_exhausted", list.ToString(), StringComparison.Ordinal);
            Assert.Contains("team/db.md › Connection pool exhausted", list.ToString(), StringComparison.Ordinal);

            var removed = new StringWriter();
            Assert.Equal(1, await RunbooksCommand.RemoveAsync(store, ["team/db.md", "team/none.md"], removed, default));
            Assert.Contains("removed team/db.md: 1 sections", removed.ToString(), StringComparison.Ordinal);
            Assert.Contains("not stored: team/none.md", removed.ToString(), StringComparison.Ordinal);
            Assert.Equal(0, await store.CountAsync(default));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<JsonElement> AnalyzeAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync("/api/v1/analysis", new { log_content = PoolLog, service_name = "orders", environment = "prod" });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Recommendation(JsonElement analysis) => analysis.GetProperty("result").GetProperty("recommendation").GetString()!;

    /// <summary>Repeats <paramref name="action"/> until its result satisfies <paramref name="done"/> (the other instance's poll), up to 15 s.</summary>
    private static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> action, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var result = await action();
            if (done(result)) return result;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never happened; last: {result}");
            await Task.Delay(100);
        }
    }
}
