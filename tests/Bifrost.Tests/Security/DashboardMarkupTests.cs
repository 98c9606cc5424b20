using Bifrost.Storage;
using Bifrost.Tests.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bifrost.Tests.Security;

/// <summary>
/// Free text a model wrote (or anything in a stored analysis) is rendered by the dashboard as text: markup in a
/// summary, root cause, recommendation, evidence or excerpt never becomes an element, and no script runs.
/// </summary>
[Trait("Suite", "Hostile")]
[Collection(DashboardCollection.Name)]
public sealed class DashboardMarkupTests(BrowserFixture browser)
{
    private const string Img = "<img src=x onerror=\"window.__pwned=1\">";
    private const string Script = "<script>window.__pwned=2</script>";

    [Fact]
    public async Task MarkupInEveryField_IsShownAsText()
    {
        await using var host = await TestHost.StartPipelineAsync();
        var store = host.Services.GetRequiredService<IAnalysisStore>();
        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var request = new NewAnalysis("markup-" + Guid.NewGuid().ToString("N"), "c", 1, "svc" + Img, "prod", "NORMAL", "error", "analysis.result",
            """{"note":"<b>bold</b>"}""", "ERROR " + Img + "\nWARN " + Script, AnalysisSources.Rest, now, now);
        var result = new AnalysisResultData(
            Summary: "Summary " + Img, RootCause: "Cause `" + Script + "`", Recommendation: "1. Run `" + Img + "` 2. Then " + Script,
            Severity: "HIGH", Confidence: 0.5, Category: "code.unhandled", Fingerprint: "0123456789abcdef",
            EvidenceJson: System.Text.Json.JsonSerializer.Serialize(new[] { new { line = 1, text = "ERROR " + Img } }),
            Model: "mistral<i>x</i>", Engine: "llm", DurationSeconds: 0.1, TokensUsed: 1, CacheHit: false, Fallback: false, ResultAt: now);
        var saved = await store.SaveCompletedAsync(new FinishedAnalysis(request, now, now, result), default);

        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync(host.DashboardUrl + $"#/feed?id={saved.Analysis.Id}");
        await Assertions.Expect(page.Locator("#detail-summary")).ToHaveTextAsync("Summary " + Img);
        await Assertions.Expect(page.Locator("#detail-recommendation")).ToContainTextAsync(Img);
        await Assertions.Expect(page.Locator("#excerpt")).ToContainTextAsync(Script);

        Assert.Equal(0, await page.Locator("#detail img, #detail script, #detail b, #detail i, #excerpt img, #excerpt script").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
    }
}
