using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Bifrost.Tests.Dashboard;

/// <summary>The team-knowledge parts of the dashboard in Chromium: citations and feedback on the detail view, the runbooks page (add, remove, ask), feedback statistics.</summary>
[Collection(DashboardCollection.Name)]
public class KnowledgeViewTests(BrowserFixture browser)
{
    private const string Runbook = """
        # Databases
        ## Connection pool exhausted
        Symptoms: `HikariPool-1 - Connection is not available, request timed out after 30000ms`.
        Kill long idle-in-transaction sessions; keep replicas × pool size under `max_connections`.
        """;

    [Fact]
    public async Task Detail_ShowsCitations_FeedbackButtonsAndForms_ChangeTheNextAnalysis_WithdrawRestores()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await TestHost.StartPipelineAsync(new Dictionary<string, string> { ["DATABASE_URL"] = db.Url });
        using var http = DashboardApi.Client(host);
        (await http.PostAsJsonAsync("/api/v1/runbooks", new { source = "runbooks/db.md", markdown = Runbook })).EnsureSuccessStatusCode();
        var service = "orders-" + Guid.NewGuid().ToString("N")[..6];
        var analysis = await DashboardApi.AnalyzeNowAsync(http, service, "prod", SampleLogs.PoolExhausted);
        var engineCategory = analysis.GetProperty("result").GetProperty("category").GetString();

        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = PageErrors.Track(page);
        await page.GotoAsync(host.DashboardUrl + $"#/feed?id={FeedTests.Id(analysis)}");

        var citation = page.Locator("#citations li");
        await Assertions.Expect(citation).ToHaveCountAsync(1);
        await Assertions.Expect(citation).ToContainTextAsync("Connection pool exhausted");
        await Assertions.Expect(citation).ToContainTextAsync("runbooks/db.md#connection-pool-exhausted");
        await Assertions.Expect(citation.Locator("code")).ToContainTextAsync("HikariPool-1"); // `code` in the quote as code, not markup
        await Assertions.Expect(page.Locator("#detail-recommendation .recommend-extra")).ToContainTextAsync("Team runbook: “Connection pool exhausted”");
        await Assertions.Expect(page.Locator("#detail-recommendation ol li").First).ToBeVisibleAsync(); // the engine's steps still a list

        await page.Locator("#fb-helpful").ClickAsync();
        await Assertions.Expect(page.Locator("#fb-list li")).ToContainTextAsync("marked helpful");
        await page.Locator("#fb-category").SelectOptionAsync("database.deadlock");
        await page.Locator("#fb-severity").SelectOptionAsync("CRITICAL");
        await page.Locator("#fb-correct-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#fb-list li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#fb-list li").First).ToContainTextAsync("corrected to database.deadlock, CRITICAL");
        await page.Locator("#fb-note").FillAsync("restarted pgbouncer, see INC-9");
        await page.Locator("#fb-note-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#fb-list li").First).ToContainTextAsync("“restarted pgbouncer, see INC-9”");

        // The NEXT analysis of this failure carries the correction and the note.
        var next = await DashboardApi.AnalyzeNowAsync(http, service, "prod", SampleLogs.PoolExhausted);
        Assert.Equal(("database.deadlock", "CRITICAL"), (next.GetProperty("result").GetProperty("category").GetString(), next.GetProperty("result").GetProperty("severity").GetString()));
        Assert.Contains("Last time: restarted pgbouncer, see INC-9, just now", next.GetProperty("result").GetProperty("recommendation").GetString(), StringComparison.Ordinal);

        // Withdraw the correction from the page: the entry stays, struck through; the engine's answer is back.
        var correction = page.Locator("#fb-list li", new() { HasText = "corrected to" });
        await correction.Locator(".fb-withdraw").ClickAsync();
        await Assertions.Expect(page.Locator("#fb-list li[data-active='false']")).ToContainTextAsync("corrected to database.deadlock");
        var restored = await DashboardApi.AnalyzeNowAsync(http, service, "prod", SampleLogs.PoolExhausted);
        Assert.Equal(engineCategory, restored.GetProperty("result").GetProperty("category").GetString());
        errors.AssertNone();
    }

    [Fact]
    public async Task RunbooksPage_AddsListsRemoves_AndAnswersAQuestion_FeedbackPageShowsRates()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await TestHost.StartPipelineAsync(new Dictionary<string, string> { ["DATABASE_URL"] = db.Url });
        using var http = DashboardApi.Client(host);
        var analysis = await DashboardApi.AnalyzeNowAsync(http, "reports", "prod", SampleLogs.OutOfMemory);
        (await http.PostAsJsonAsync($"/api/v1/analyses/{FeedTests.Id(analysis)}/feedback", new { helpful = false })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/v1/analyses/{FeedTests.Id(analysis)}/feedback", new { helpful = true })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/v1/analyses/{FeedTests.Id(analysis)}/feedback", new { helpful = false })).EnsureSuccessStatusCode();

        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = PageErrors.Track(page);
        await page.GotoAsync(host.DashboardUrl + "#/runbooks");
        await Assertions.Expect(page.Locator("#runbooks-empty")).ToBeVisibleAsync();

        await page.Locator("#rb-source").FillAsync("runbooks/db.md");
        await page.Locator("#rb-markdown").FillAsync(Runbook);
        await page.Locator("#rb-add").ClickAsync();
        var row = page.Locator("#runbook-sources tr[data-source='runbooks/db.md']");
        await Assertions.Expect(row).ToContainTextAsync("1");
        await Assertions.Expect(page.Locator("#runbook-sections li[data-category='database.pool_exhausted']")).ToContainTextAsync("Connection pool exhausted");

        await page.Locator("#ask-question").FillAsync("what do we do when the hikari pool has no connection available?");
        await page.Locator("#ask-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#ask-text")).ToContainTextAsync("From the team runbook “Connection pool exhausted”");
        await Assertions.Expect(page.Locator("#ask-sources li[data-kind='section']")).ToHaveCountAsync(1);

        await row.Locator(".rb-remove").ClickAsync();
        await row.Locator(".rb-remove").ClickAsync(); // confirm
        await Assertions.Expect(page.Locator("#runbooks-empty")).ToBeVisibleAsync();

        await page.GotoAsync(host.DashboardUrl + "#/feedback");
        await Assertions.Expect(page.Locator("#fb-total")).ToHaveAttributeAsync("data-rate", "0.333");
        await Assertions.Expect(page.Locator("#fb-by-service tr[data-key='reports']")).ToContainTextAsync("33%");
        await Assertions.Expect(page.Locator($"#fb-unhelpful-rows tr[data-fingerprint='{analysis.GetProperty("result").GetProperty("fingerprint").GetString()}']")).ToContainTextAsync("2");

        await page.Locator("#lang-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("#nav-runbooks")).ToHaveTextAsync("런북");
        await Assertions.Expect(page.Locator("#nav-feedback")).ToHaveTextAsync("피드백");
        errors.AssertNone();
    }
}
