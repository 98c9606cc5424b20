using System.Net.Http.Json;
using System.Text.Json;
using Bifrost.Api.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Dashboard;

/// <summary>What the tests ask the REST API directly (the way Heimdall or a script would), to set the scene.</summary>
internal static class DashboardApi
{
    public static HttpClient Client(TestHost host, string? apiKey = null)
    {
        var http = new HttpClient { BaseAddress = host.Http };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return http;
    }

    /// <summary>POST /api/v1/analysis (analyse now); returns the stored analysis as JSON.</summary>
    public static async Task<JsonElement> AnalyzeNowAsync(HttpClient http, string service, string environment, string log)
    {
        var response = await http.PostAsJsonAsync("/api/v1/analysis", new { log_content = log, service_name = service, environment });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    /// <summary>POST /api/v1/analysis/request (202, analysed in the background); returns the analysis id.</summary>
    public static async Task<long> SubmitAsync(HttpClient http, string service, string environment, string log)
    {
        var response = await http.PostAsJsonAsync("/api/v1/analysis/request", new { log_content = log, service_name = service, environment });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("analysis_id").GetInt64();
    }

    public static async Task<string> CreateKeyAsync(TestHost host, string scope = ApiKeyScopes.Write)
    {
        var store = host.Services.GetRequiredService<ApiKeyStore>();
        await store.EnsureSchemaAsync(CancellationToken.None);
        var (_, key) = await store.CreateAsync("dashboard-test-" + Guid.NewGuid().ToString("N")[..6], scope, DateTimeOffset.UtcNow, CancellationToken.None);
        return key;
    }
}

/// <summary>Log excerpts with known failures (written for these tests).</summary>
internal static class SampleLogs
{
    public const string PoolExhausted = """
        2026-11-26 10:15:01.221 INFO  [http-nio-8080-exec-7] c.a.o.OrderController - POST /orders user=u-4411
        2026-11-26 10:15:31.229 ERROR [http-nio-8080-exec-7] o.h.engine.jdbc.spi.SqlExceptionHelper - HikariPool-1 - Connection is not available, request timed out after 30000ms.
        2026-11-26 10:15:31.230 WARN  [http-nio-8080-exec-7] c.z.hikari.pool.HikariPool - HikariPool-1 - Pool stats (total=10, active=10, idle=0, waiting=37)
        2026-11-26 10:15:31.233 ERROR [http-nio-8080-exec-7] c.a.o.OrderController - order failed, contact dba.oncall@example.com
        """;

    public const string OutOfMemory = """
        2026-11-26 10:20:44.101 INFO  [main] c.a.r.ReportJob - rendering monthly report batch=77
        2026-11-26 10:20:49.870 ERROR [report-worker-3] c.a.r.ReportJob - job failed
        java.lang.OutOfMemoryError: Java heap space
            at java.base/java.util.Arrays.copyOf(Arrays.java:3537)
            at com.acme.report.PdfRenderer.render(PdfRenderer.java:212)
        """;

    public const string Timeout = """
        2026-11-26 10:22:10.004 ERROR [grpc-default-executor-2] c.a.g.InventoryClient - call to inventory-svc:9090 failed: DEADLINE_EXCEEDED: deadline exceeded after 4.999s
        2026-11-26 10:22:10.006 WARN  [grpc-default-executor-2] c.a.g.InventoryClient - retry 3/3 exhausted for GetStock(sku=A-1182)
        """;
}
