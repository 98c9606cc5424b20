using System.Net;
using System.Net.WebSockets;
using Microsoft.Playwright;

namespace Bifrost.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public class AuthTests(BrowserFixture browser)
{
    [Fact]
    public async Task KeyRequired_PageShowsNoDataUntilAValidKey_AndApiAnswers401()
    {
        await using var host = await TestHost.StartPipelineAsync(new Dictionary<string, string> { ["api:auth"] = "required" });
        var key = await DashboardApi.CreateKeyAsync(host);
        var service = "secured-" + Guid.NewGuid().ToString("N")[..8];
        using (var authed = DashboardApi.Client(host, key))
        {
            await DashboardApi.AnalyzeNowAsync(authed, service, "prod", SampleLogs.Timeout);
        }

        // Every data endpoint the page uses refuses callers without a valid key.
        using var anonymous = DashboardApi.Client(host);
        using var wrong = DashboardApi.Client(host, "bfk_not-a-real-key");
        foreach (var (client, path) in new[] { (anonymous, "/api/v1/analyses"), (anonymous, "/api/v1/stats"), (anonymous, "/api/v1/patterns"), (anonymous, "/api/v1/dlq"), (wrong, "/api/v1/analyses"), (wrong, "/api/v1/dlq") })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/dlq/0/0/redrive", null)).StatusCode);
        using (var ws = new ClientWebSocket())
        {
            await Assert.ThrowsAnyAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://{host.Http.Authority}/ws"), CancellationToken.None));
        }

        // The page itself loads, asks for a key and shows nothing.
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync(host.DashboardUrl.ToString());
        await Assertions.Expect(page.Locator("#auth-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#auth-needed")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#conn[data-state='auth']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#feed-rows tr[data-id]")).ToHaveCountAsync(0);

        // A wrong key is refused too.
        await page.Locator("#api-key-input").FillAsync("bfk_wrong");
        await page.Locator("#api-key-save").ClickAsync();
        await Assertions.Expect(page.Locator("#auth-rejected")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#feed-rows tr[data-id]")).ToHaveCountAsync(0);

        // The right key, entered once, opens the data and the live socket; it stays for reloads of this tab only.
        await page.Locator("#api-key-input").FillAsync(key);
        await page.Locator("#api-key-save").ClickAsync();
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-service='{service}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#conn[data-state='live']")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-service='{service}']")).ToHaveCountAsync(1);
        Assert.Equal(key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('bifrost.apiKey')"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('bifrost.apiKey')"));

        using var authedClient = DashboardApi.Client(host, key);
        var liveId = await DashboardApi.SubmitAsync(authedClient, service, "prod", SampleLogs.OutOfMemory);
        await Assertions.Expect(page.Locator($"#feed-rows tr[data-id='{liveId}'][data-status='COMPLETED']")).ToBeVisibleAsync();
    }
}
