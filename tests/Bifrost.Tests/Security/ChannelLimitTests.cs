using System.Net;
using System.Text;
using Bifrost.Storage;
using Bifrost.Tests.Api;

namespace Bifrost.Tests.Security;

/// <summary>Issue 14, "also seen": subscriptions per socket, 400 bodies, the dashboard's CSP, the h2c port's body limit, the database file's mode.</summary>
[Trait("Suite", "Hostile")]
public sealed class ChannelLimitTests
{
    [Fact]
    public async Task WebSocket_SubscriptionsPerSocketAreLimited()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0", ["api:max_subscriptions"] = "3" });
        await using var ws = await LiveClient.ConnectAsync(host, await host.CreateKeyAsync());
        for (var i = 1; i <= 2; i++)
        {
            await ws.SendAsync(new { type = "subscribe", analysis_id = 1000 + i });
            Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());
        }

        await ws.SendAsync(new { type = "subscribe", service = "payments" });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());
        await ws.SendAsync(new { type = "subscribe", analysis_id = 2000 });
        var refused = await ws.ReceiveAsync();
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Contains("at most 3", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Subscribing again to what is already followed, or making room first, is fine.
        await ws.SendAsync(new { type = "subscribe", service = "payments" });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());
        await ws.SendAsync(new { type = "unsubscribe", analysis_id = 1001 });
        Assert.Equal("unsubscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());
        await ws.SendAsync(new { type = "subscribe", analysis_id = 2000 });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/api/v1/analysis", """{"log_content":5,"service_name":"s","environment":"prod"}""")]
    [InlineData("/api/v1/analysis", """{"log_content":"x","service_name":"s","environment":"prod","log_id":"twelve"}""")]
    [InlineData("/api/v1/analysis", """{"log_content":"x","service_name":"s","environment":"prod","log_id":1.5}""")]
    [InlineData("/api/v1/analysis", """{"log_content":"x",}""")]
    [InlineData("/api/v1/analysis", "")]
    [InlineData("/api/v1/analysis", "[1,2]")]
    [InlineData("/api/v1/analysis/request", """{"log_content":["a"],"service_name":"s","environment":"prod"}""")]
    public async Task BadBodies_Are400_WithoutDotNetBindingInternals(string path, string body)
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" });
        using var client = host.Client(await host.CreateKeyAsync());
        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await RestApiTests.AssertProblem(response, HttpStatusCode.BadRequest);
        AssertNoInternals(problem.GetRawText());
    }

    [Theory]
    [InlineData("/api/v1/analyses?limit=abc")]
    [InlineData("/api/v1/analyses?from=yesterday")]
    [InlineData("/api/v1/analysis/result/not-a-number")]
    public async Task BadQueryValues_Are400Or404_WithoutDotNetBindingInternals(string path)
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" });
        using var client = host.Client(await host.CreateKeyAsync());
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.StatusCode}");
        AssertNoInternals(await response.Content.ReadAsStringAsync());
    }

    private static void AssertNoInternals(string body)
    {
        foreach (var leak in new[] { "System.", "Bifrost.", "Microsoft.", "AnalysisRequestBody", "Nullable", "Int32", "Int64", "parameter \"", "reader options" })
        {
            Assert.False(body.Contains(leak, StringComparison.Ordinal), $"'{leak}' in {body}");
        }
    }

    [Fact]
    public async Task DashboardCsp_ConnectsOnlyToItsOwnOrigin()
    {
        await using var host = await TestHost.StartApiAsync();
        using var client = host.Client();
        using var page = await client.GetAsync("/dashboard/");
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        var connect = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("connect-src", StringComparison.Ordinal));
        Assert.Equal("connect-src 'self'", connect);
    }

    [Fact]
    public async Task OverLimitBody_OnTheH2cPort_Is413()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0", ["api:max_request_bytes"] = "65536" }, grpc: true);
        using var client = new HttpClient { BaseAddress = host.Grpc, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        client.DefaultRequestHeaders.Add("X-API-Key", await host.CreateKeyAsync());
        var body = $$"""{"log_content":"{{new string('x', 3_000_000)}}","service_name":"s","environment":"prod"}""";
        using var response = await client.PostAsync("/api/v1/analysis", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await RestApiTests.AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("65536", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Streamed without a Content-Length (the limit is crossed inside the JSON reader): was a 500.
        var pipe = new System.IO.Pipelines.Pipe();
        var writing = Task.Run(async () =>
        {
            await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(body));
            await pipe.Writer.CompleteAsync();
        });
        using var streamed = new StreamContent(pipe.Reader.AsStream());
        streamed.Headers.ContentType = new("application/json");
        using var chunked = await client.PostAsync("/api/v1/analysis", streamed);
        await writing;
        Assert.Null(streamed.Headers.ContentLength);
        await RestApiTests.AssertProblem(chunked, HttpStatusCode.RequestEntityTooLarge);

        // Under the limit, the same port still serves REST.
        using var small = await client.PostAsync("/api/v1/analysis", new StringContent("""{"log_content":"ERROR x","service_name":"s","environment":"prod"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    [Fact]
    public async Task EmbeddedDatabase_IsCreatedReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(Path.GetTempPath(), $"bifrost-mode-{Guid.NewGuid():N}.db");
        try
        {
            var store = DatabaseUrl.CreateStore("sqlite:" + path);
            await store.MigrateAsync(default);
            await ((IAsyncDisposable)store).DisposeAsync();
            foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
            {
                var mode = File.GetUnixFileMode(file);
                Assert.True((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) == 0, $"{file}: {mode}");
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }
}
