using System.Text.Json;
using Microsoft.Playwright;

namespace Bifrost.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public class FeedTests(BrowserFixture browser)
{
    [Fact]
    public async Task LiveFeed_RestRequest_AppearsCompletedWithinOneSecond()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = DashboardApi.Client(host);
        var page = await browser.NewPageAsync();
        var errors = PageErrors.Track(page);
        await page.GotoAsync(host.DashboardUrl.ToString());
        await Assertions.Expect(page.Locator("#conn[data-state='live']")).ToBeVisibleAsync();

        var service = "checkout-" + Guid.NewGuid().ToString("N")[..8];
        var sentAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = await DashboardApi.SubmitAsync(http, service, "prod", SampleLogs.PoolExhausted);

        var row = page.Locator($"#feed-rows tr[data-id='{id}'][data-status='COMPLETED']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        var arrived = long.Parse(await row.GetAttributeAsync("data-arrived") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(arrived - sentAt, 0, 1000);
        await Assertions.Expect(row).ToContainTextAsync(service);
        await Assertions.Expect(row.Locator(".sev")).Not.ToHaveTextAsync("—");
        errors.AssertNone();
    }

    [Fact]
    public async Task Filters_ServiceAndSeverity_ShowOnlyMatchingRows_HistoryAndLive()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = DashboardApi.Client(host);
        var run = Guid.NewGuid().ToString("N")[..8];
        var (orders, reports) = ("orders-" + run, "reports-" + run);
        var pool = await DashboardApi.AnalyzeNowAsync(http, orders, "prod", SampleLogs.PoolExhausted);
        var oom = await DashboardApi.AnalyzeNowAsync(http, reports, "staging", SampleLogs.OutOfMemory);
        await DashboardApi.AnalyzeNowAsync(http, reports, "staging", SampleLogs.Timeout);

        var page = await browser.NewPageAsync();
        var errors = PageErrors.Track(page);
        await page.GotoAsync(host.DashboardUrl.ToString());
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-service='{orders}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-service='{reports}']")).ToHaveCountAsync(2);

        await page.Locator("#filter-service").SelectOptionAsync(reports);
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-service='{reports}']")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#feed-rows tr[data-id]")).ToHaveCountAsync(2);
        Assert.Contains("service=" + reports, page.Url, StringComparison.Ordinal);

        // Live events are filtered too: another service's analysis stays out, a matching one comes in.
        await DashboardApi.SubmitAsync(http, orders, "prod", SampleLogs.OutOfMemory);
        var liveId = await DashboardApi.SubmitAsync(http, reports, "staging", SampleLogs.PoolExhausted);
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-id='{liveId}'][data-status='COMPLETED']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-service='{orders}']")).ToHaveCountAsync(0);

        var oomSeverity = Severity(oom);
        await page.Locator("#filter-severity").SelectOptionAsync(oomSeverity);
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-id='{Id(oom)}']")).ToBeVisibleAsync();
        foreach (var severity in await page.Locator("#feed-rows tr[data-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.severity)"))
        {
            Assert.Equal(oomSeverity, severity);
        }

        await page.Locator("#filter-clear").ClickAsync();
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-id='{Id(pool)}']")).ToBeVisibleAsync();
        errors.AssertNone();
    }

    [Fact]
    public async Task Detail_ShowsConclusionsAndHighlightsEvidenceLines_InRedactedExcerpt()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = DashboardApi.Client(host);
        var analysis = await DashboardApi.AnalyzeNowAsync(http, "orders-" + Guid.NewGuid().ToString("N")[..8], "prod", SampleLogs.PoolExhausted);
        var result = analysis.GetProperty("result");
        var evidence = result.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()).Order().ToArray();
        Assert.NotEmpty(evidence);

        var page = await browser.NewPageAsync();
        var errors = PageErrors.Track(page);
        await page.GotoAsync(host.DashboardUrl + $"#/feed?id={Id(analysis)}");

        await Assertions.Expect(page.Locator("#detail-summary")).ToHaveTextAsync(result.GetProperty("summary").GetString()!);
        await Assertions.Expect(page.Locator("#detail-root-cause")).ToHaveTextAsync(result.GetProperty("root_cause").GetString()!);
        await Assertions.Expect(page.Locator("#detail-recommendation")).ToHaveTextAsync(result.GetProperty("recommendation").GetString()!);
        await Assertions.Expect(page.Locator("#excerpt .line")).ToHaveCountAsync(SampleLogs.PoolExhausted.Split('\n').Length);
        var marked = await page.Locator("#excerpt .line.evidence").EvaluateAllAsync<int[]>("ls => ls.map(l => Number(l.dataset.line))");
        Assert.Equal(evidence, marked.Order().ToArray());
        var excerpt = await page.Locator("#excerpt").InnerTextAsync();
        Assert.Contains("HikariPool-1", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("dba.oncall@example.com", excerpt, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#detail")).ToContainTextAsync(analysis.GetProperty("model").GetString()!);

        // Selecting another row from the table swaps the panel; closing it leaves the feed.
        await page.Locator("#detail-close").ClickAsync();
        await Assertions.Expect(page.Locator("#detail-body")).ToHaveCountAsync(0);
        errors.AssertNone();
    }

    internal static string Id(JsonElement analysis) => analysis.GetProperty("analysis_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Severity(JsonElement analysis) => analysis.GetProperty("result").GetProperty("severity").GetString()!;
}

/// <summary>Uncaught script errors on the page fail the test that caused them.</summary>
internal sealed class PageErrors
{
    private readonly List<string> _errors = [];

    public static PageErrors Track(IPage page)
    {
        var tracker = new PageErrors();
        page.PageError += (_, message) => tracker._errors.Add(message);
        page.Console += (_, message) =>
        {
            // A refused WebSocket handshake / 401 is logged by the browser itself: expected in auth tests.
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal) && !message.Text.Contains("WebSocket", StringComparison.Ordinal))
            {
                tracker._errors.Add(message.Text);
            }
        };
        return tracker;
    }

    public void AssertNone() => Assert.Empty(_errors);
}
