using System.Net;

namespace Bifrost.Tests.Dashboard;

public class StaticPageTests
{
    [Fact]
    public async Task Page_IsServedFromTheAssemblyWithSecurityHeaders_AndBareAddressesRedirect()
    {
        await using var host = await TestHost.StartPipelineAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Http };

        foreach (var path in new[] { "/", "/dashboard" })
        {
            var redirect = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal("/dashboard/", redirect.Headers.Location?.OriginalString);
        }

        var page = await http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"app.js\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var script = await http.GetAsync("/dashboard/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());

        foreach (var missing in new[] { "/dashboard/nope.js", "/dashboard/sub/app.js" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(missing)).StatusCode);
        }
    }
}
