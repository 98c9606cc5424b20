using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Bifrost.Tests.Dashboard;

/// <summary>The incidents page in headless Chromium against the real host (Kafka, PostgreSQL): order and actions.</summary>
[Collection(DashboardCollection.Name)]
public class IncidentsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Incidents_RegressedAndOpenFirst_ResolveMuteReopenFromTheRow()
    {
        await using var host = await TestHost.StartPipelineAsync();
        using var http = DashboardApi.Client(host);
        var run = Guid.NewGuid().ToString("N")[..8];
        var (orders, reports, search) = ("orders-" + run, "reports-" + run, "search-" + run);
        await DashboardApi.AnalyzeNowAsync(http, orders, "prod", SampleLogs.PoolExhausted);
        await DashboardApi.AnalyzeNowAsync(http, orders, "prod", SampleLogs.PoolExhausted);
        await DashboardApi.AnalyzeNowAsync(http, reports, "staging", SampleLogs.OutOfMemory);
        await DashboardApi.AnalyzeNowAsync(http, search, "prod", SampleLogs.Timeout);
        await PostAsync(http, await IdAsync(http, reports), "resolve");
        await PostAsync(http, await IdAsync(http, search), "resolve");
        await Task.Delay(20); // seen again after the resolve: regressed
        await DashboardApi.AnalyzeNowAsync(http, search, "prod", SampleLogs.Timeout);

        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = PageErrors.Track(page);
        await page.GotoAsync(host.DashboardUrl + "#/incidents?status=all");
        var ours = page.Locator($"#incident-rows tr[data-service$='-{run}']");
        await Assertions.Expect(ours).ToHaveCountAsync(3);
        Assert.Equal([search, orders, reports], await ours.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.service)"));
        Assert.Equal(["regressed", "open", "resolved"], await ours.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)"));
        await Assertions.Expect(page.Locator($"#incident-rows tr[data-service='{orders}'] .count")).ToHaveTextAsync("2");

        // The default view is what needs someone: the resolved one is not in it.
        await page.Locator("#incident-status").SelectOptionAsync("active");
        await Assertions.Expect(ours).ToHaveCountAsync(2);
        Assert.Contains("status=active", page.Url, StringComparison.Ordinal);

        // Resolve takes two clicks (it also closes the PagerDuty alert).
        var ordersRow = page.Locator($"#incident-rows tr[data-service='{orders}']");
        await ordersRow.Locator("button[data-action='resolve']").ClickAsync();
        await Assertions.Expect(ordersRow.Locator("button[data-action='resolve']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("armed"));
        await Assertions.Expect(ordersRow).ToHaveAttributeAsync("data-status", "open");
        await ordersRow.Locator("button[data-action='resolve']").ClickAsync();
        await Assertions.Expect(ordersRow).ToHaveAttributeAsync("data-status", "resolved");
        Assert.Equal("resolved", (await GetAsync(http, orders)).GetProperty("status").GetString());

        var searchRow = page.Locator($"#incident-rows tr[data-service='{search}']");
        await searchRow.Locator("button[data-action='mute']").ClickAsync();
        await Assertions.Expect(searchRow).ToHaveAttributeAsync("data-status", "muted");
        var muted = await GetAsync(http, search);
        Assert.InRange(muted.GetProperty("muted_until").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(65));
        await searchRow.Locator("button[data-action='reopen']").ClickAsync();
        await Assertions.Expect(searchRow).ToHaveAttributeAsync("data-status", "open");

        // A link to one incident (as in a notification) shows it selected, whatever its status.
        var id = await IdAsync(http, orders);
        await page.GotoAsync(host.DashboardUrl + $"#/incidents?id={id}");
        await Assertions.Expect(page.Locator($"#incident-rows tr.selected[data-id='{id}'][data-status='resolved']")).ToBeVisibleAsync();
        errors.AssertNone();
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string service) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?service={service}&limit=1")).GetProperty("items")[0];

    private static async Task<long> IdAsync(HttpClient http, string service) => (await GetAsync(http, service)).GetProperty("incident_id").GetInt64();

    private static async Task PostAsync(HttpClient http, long id, string action) => (await http.PostAsync($"/api/v1/incidents/{id}/{action}", null)).EnsureSuccessStatusCode();
}
