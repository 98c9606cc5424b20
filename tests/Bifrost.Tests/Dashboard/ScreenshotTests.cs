using System.Globalization;
using System.Text.Json.Nodes;
using Bifrost.Analyzers;
using Bifrost.Configuration;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace Bifrost.Tests.Dashboard;

/// <summary>
/// Renders every main view in English and Korean over a realistic day of analyses and checks each one shows its
/// data in the right language without script errors. The PNGs go to BIFROST_SCREENSHOT_DIR (scripts/screenshots.sh
/// points it at docs/images) or to the test output folder.
/// </summary>
[Collection(DashboardCollection.Name)]
public class ScreenshotTests(BrowserFixture browser)
{
    private static string OutputDir =>
        Environment.GetEnvironmentVariable("BIFROST_SCREENSHOT_DIR") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task MainViews_RenderWithDataInEnglishAndKorean()
    {
        var db = Path.Combine(Path.GetTempPath(), $"bifrost-dashboard-shots-{Guid.NewGuid():N}.db");
        try
        {
            // Some traffic through Kafka too, produced before the host starts (the old broker creates the topic now):
            // the worker then has partitions, so /metrics reports consumer lag for the lag chart.
            var topics = TestTopics.New();
            using (var producer = KafkaTestClient.Producer())
            {
                for (var i = 0; i < 12; i++)
                {
                    var (service, environment, _, log) = Catalog[i % Catalog.Length];
                    await producer.ProduceAsync(topics.Request, KafkaTestClient.Request(service, environment, log.Replace("{n}", "42", StringComparison.Ordinal).Replace("{t}", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
                }
            }

            await using var host = await TestHost.StartPipelineAsync(new Dictionary<string, string> { ["DATABASE_URL"] = "sqlite:" + db }, topics);
            var ids = await SeedDayOfAnalysesAsync(host);
            await SeedDeadLettersAsync(host);
            Directory.CreateDirectory(OutputDir);

            foreach (var lang in new[] { "en", "ko" })
            {
                var page = await browser.NewPageAsync(lang == "ko" ? "ko-KR" : "en-US");
                var errors = PageErrors.Track(page);
                await page.GotoAsync(host.DashboardUrl.ToString());
                await page.EvaluateAsync("l => localStorage.setItem('bifrost.lang', l)", lang);
                await page.ReloadAsync();
                await Assertions.Expect(page.Locator("#nav-feed")).ToHaveTextAsync(lang == "ko" ? "실시간 피드" : "Live feed");
                await Assertions.Expect(page.Locator("#conn[data-state='live']")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#feed-rows tr[data-id]")).ToHaveCountAsync(100);
                await Shot(page, $"feed-{lang}");

                await page.GotoAsync(host.DashboardUrl + $"#/feed?id={ids.Detail}");
                await Assertions.Expect(page.Locator("#excerpt .line.evidence").First).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#detail h3").First).ToHaveTextAsync(lang == "ko" ? "근본 원인" : "Root cause");
                await Shot(page, $"detail-{lang}");

                await page.GotoAsync(host.DashboardUrl + "#/patterns");
                await Assertions.Expect(page.Locator("#pattern-rows tr[data-fingerprint]").First).ToBeVisibleAsync();
                Assert.True(await page.Locator("#pattern-rows tr[data-fingerprint]").CountAsync() >= 6);
                await Shot(page, $"patterns-{lang}");

                await page.GotoAsync(host.DashboardUrl + "#/overview");
                await Assertions.Expect(page.Locator("#chart-throughput rect.bar").First).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#mix-services .hbar").First).ToBeVisibleAsync();
                // Lag comes from librdkafka statistics (every 5 s) through /metrics, polled by the page.
                await Assertions.Expect(page.Locator("#chart-lag polyline.line").First).ToBeAttachedAsync(new() { Timeout = 30_000 }); // a flat 0 line has no height
                await Assertions.Expect(page.Locator("#kpi-lag .kpi-value")).Not.ToHaveTextAsync("—");
                await Shot(page, $"throughput-{lang}");

                await page.GotoAsync(host.DashboardUrl + "#/dlq");
                await Assertions.Expect(page.Locator("#dlq-rows tr.row")).ToHaveCountAsync(4);
                await page.Locator("#dlq-rows tr.row[data-code='SCHEMA_VIOLATION']").ClickAsync();
                await Shot(page, $"dlq-{lang}");

                if (lang == "en")
                {
                    await page.GotoAsync(host.DashboardUrl + $"#/feed?id={ids.Detail}");
                    await page.Locator("#theme-toggle").ClickAsync();
                    await Assertions.Expect(page.Locator("html[data-theme='dark']")).ToHaveCountAsync(1);
                    await Shot(page, "detail-dark-en");
                    await page.Locator("#theme-toggle").ClickAsync();
                }

                errors.AssertNone();
                await page.Context.CloseAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // pooled connections keep the -wal/-shm files
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(db + suffix);
        }
    }

    private static async Task Shot(IPage page, string name)
    {
        await page.WaitForTimeoutAsync(300); // let the row flash and chart transitions settle
        var path = Path.Combine(OutputDir, $"dashboard-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
    }

    private sealed record Seeded(string Detail);

    /// <summary>
    /// ~24 h of analyses through the real pipeline and engine, with the clock set back per request so history,
    /// trends and per-minute charts have shape: most in the last half hour, the rest over the day.
    /// </summary>
    private static async Task<Seeded> SeedDayOfAnalysesAsync(TestHost host)
    {
        var clock = new SettableClock();
        var pipeline = new AnalysisPipeline(host.Services.GetRequiredService<StoreWriteBatcher>(), host.Services.GetRequiredService<IAnalyzer>(),
            new AnalysisEvents(), Options.Create(new AnalysisOptions()), clock, NullLogger<AnalysisPipeline>.Instance);
        var random = new Random(20261126);
        var now = DateTimeOffset.UtcNow;
        long detailId = 0;
        // Oldest first, so ids grow with time as they do in production. A busy last half hour, a steady day before it.
        var ages = Enumerable.Range(0, 90).Select(_ => TimeSpan.FromSeconds(random.Next(15, 30 * 60)))
            .Concat(Enumerable.Range(0, 150).Select(_ => TimeSpan.FromMinutes(random.Next(31, 24 * 60))))
            .OrderDescending().ToArray();
        foreach (var age in ages)
        {
            var (service, environment, _, log) = Catalog[PickWeighted(random)];
            var at = now - age;
            clock.Now = at;
            var text = log.Replace("{n}", random.Next(1000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{t}", at.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var result = await pipeline.ProcessAsync(new AnalysisSubmission(
                "shot-" + Guid.NewGuid().ToString("N"), "corr-" + Guid.NewGuid().ToString("N")[..8], random.Next(100_000, 999_999), text, service, environment), CancellationToken.None);
            if (service == "orders")
            {
                detailId = result.Analysis.Id;
            }
        }

        return new Seeded(detailId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int PickWeighted(Random random)
    {
        var total = Catalog.Sum(c => c.Weight);
        var pick = random.Next(total);
        for (var i = 0; i < Catalog.Length; i++)
        {
            pick -= Catalog[i].Weight;
            if (pick < 0) return i;
        }

        return 0;
    }

    private static readonly (string Service, string Environment, int Weight, string Log)[] Catalog =
    [
        ("orders", "prod", 9, """
            {t} INFO  [http-nio-8080-exec-{n}] c.a.o.OrderController - POST /orders user=u-{n}
            {t} ERROR [http-nio-8080-exec-7] o.h.engine.jdbc.spi.SqlExceptionHelper - HikariPool-1 - Connection is not available, request timed out after 30000ms.
            {t} WARN  [http-nio-8080-exec-7] c.z.hikari.pool.HikariPool - HikariPool-1 - Pool stats (total=10, active=10, idle=0, waiting={n})
            {t} ERROR [http-nio-8080-exec-7] c.a.o.OrderController - order {n} failed
            """),
        ("reports", "prod", 4, """
            {t} INFO  [main] c.a.r.ReportJob - rendering monthly report batch={n}
            {t} ERROR [report-worker-3] c.a.r.ReportJob - job failed
            java.lang.OutOfMemoryError: Java heap space
                at java.base/java.util.Arrays.copyOf(Arrays.java:3537)
                at com.acme.report.PdfRenderer.render(PdfRenderer.java:212)
            """),
        ("checkout", "prod", 7, """
            {t} ERROR [grpc-default-executor-2] c.a.g.InventoryClient - call to inventory-svc:9090 failed: DEADLINE_EXCEEDED: deadline exceeded after 4.999s
            {t} WARN  [grpc-default-executor-2] c.a.g.InventoryClient - retry 3/3 exhausted for GetStock(sku=A-{n})
            """),
        ("payments", "prod", 5, """
            {t} ERROR [pool-4-thread-{n}] c.a.p.GatewayClient - POST https://psp.example.net/v2/charges failed: javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed
            {t} ERROR [pool-4-thread-2] c.a.p.PaymentService - charge {n} aborted after TLS failure
            """),
        ("auth", "staging", 3, """
            {t} WARN  [main] o.s.b.w.e.tomcat.TomcatWebServer - Connector start failed
            {t} ERROR [main] o.s.boot.SpringApplication - Application run failed
            java.net.BindException: Address already in use
                at java.base/sun.nio.ch.Net.bind0(Native Method)
            """),
        ("inventory", "prod", 4, """
            {t} ERROR [kafka-producer-network-thread | producer-1] o.a.k.c.p.i.Sender - [Producer clientId=producer-1] Got error produce response with correlation id {n} on topic-partition stock-events-2, retrying (2 attempts left). Error: NOT_LEADER_OR_FOLLOWER
            {t} WARN  [kafka-producer-network-thread | producer-1] o.a.k.c.NetworkClient - Disconnecting from node 3 due to request timeout.
            """),
        ("search", "dev", 2, """
            {t} ERROR [main] c.a.s.IndexLoader - failed to open index /var/lib/search/idx-{n}
            java.io.IOException: No space left on device
            """),
        ("notifications", "prod", 3, """
            {t} ERROR [smtp-sender-1] c.a.n.MailSender - send to user {n} failed: 421 4.7.0 Try again later, closing connection. (rate limited)
            """),
    ];

    private static async Task SeedDeadLettersAsync(TestHost host)
    {
        using var producer = KafkaTestClient.Producer();
        var records = new (string Code, string Message, JsonNode? Payload, string? Raw)[]
        {
            ("INVALID_JSON", "value is not JSON: unexpected character 'l' at offset 0", null, "log_content=Connection refused; service=orders"),
            ("SCHEMA_VIOLATION", "log_content: required field is missing", new JsonObject { ["request_id"] = "9f2c1e7a-0d1b-4e55-9a43-2b8f0c7d1e11", ["log_id"] = 88121, ["service_name"] = "orders", ["environment"] = "prod", ["correlation_id"] = "c-88121" }, null),
            ("CALLBACK_TOPIC_NOT_ALLOWED", "callback_topic 'billing.results' is not on the allow-list", new JsonObject { ["request_id"] = "5be0a3f4-77aa-4c0e-8d0c-7a1f9e2b3c44", ["log_id"] = 88122, ["log_content"] = "ERROR timeout", ["service_name"] = "billing", ["environment"] = "prod", ["correlation_id"] = "c-88122", ["callback_topic"] = "billing.results" }, null),
            ("PAYLOAD_TOO_LARGE", "message is 2,411,904 bytes; kafka.max_message_bytes is 1,048,576", null, "{\"request_id\":\"c1d2e3f4-...\",\"log_content\":\"[truncated]"),
        };
        var offset = 40L;
        foreach (var (code, message, payload, raw) in records)
        {
            var envelope = new JsonObject
            {
                ["error_code"] = code, ["error_message"] = message, ["failed_at"] = DateTimeOffset.UtcNow.AddMinutes(-offset / 2.0).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["attempts"] = 1, ["original_topic"] = "analysis.request", ["original_partition"] = (int)(offset % 3), ["original_offset"] = 1200 + offset,
                ["original_timestamp"] = null, ["original_key"] = payload?["service_name"]?.GetValue<string>(), ["consumer_group"] = "bifrost-consumer-group",
                ["request_id"] = payload?["request_id"]?.DeepClone(), ["correlation_id"] = payload?["correlation_id"]?.DeepClone(), ["log_id"] = payload?["log_id"]?.DeepClone(),
                ["payload"] = payload, ["payload_raw"] = raw,
            };
            await producer.ProduceAsync(host.DlqTopic, new Message<string?, string> { Key = null, Value = envelope.ToJsonString() });
            offset -= 10;
        }
    }

    /// <summary>Wall-clock time set per request (history), elapsed time real (analysis durations stay true).</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
