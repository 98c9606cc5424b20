using System.Text;
using System.Text.Json;
using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Commands;

namespace Bifrost.Tests;

public class AnalyzeCommandTests
{
    private const string Excerpt = """
        2024-06-02 14:22:10.511 ERROR [exec-41] com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=117)
        java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=117)
        	at com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)
        """;

    [Fact]
    public void Json_SingleExcerptPrintsOneSnakeCaseObject()
    {
        var output = new StringWriter();
        var code = AnalyzeCommand.Run(Excerpt, output, format: "json", service: "orders", environment: "production");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output.ToString());
        var root = doc.RootElement;
        foreach (var field in new[] { "summary", "root_cause", "recommendation", "severity", "confidence", "category", "fingerprint", "evidence" })
        {
            Assert.True(root.TryGetProperty(field, out _), field);
        }

        Assert.Equal("database.pool_exhausted", root.GetProperty("category").GetString());
        Assert.Equal("HIGH", root.GetProperty("severity").GetString());
        Assert.Equal(1, root.GetProperty("evidence")[0].GetProperty("line").GetInt32());
        Assert.StartsWith("bifrost-builtin/", root.GetProperty("model").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_KoreanIsNotEscaped()
    {
        var output = new StringWriter();
        AnalyzeCommand.Run(Excerpt, output, format: "json", language: "ko", service: "orders");
        Assert.Contains("커넥션", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void KoreanMarkdownTranslatesHeadingsAndLabels()
    {
        var output = new StringWriter();
        AnalyzeCommand.Run(Excerpt, output, format: "markdown", language: "ko", service: "orders", environment: "production");
        var text = output.ToString();
        Assert.StartsWith("## HIGH · `database.pool_exhausted` · 신뢰도 ", text, StringComparison.Ordinal);
        Assert.Contains("**요약.**", text, StringComparison.Ordinal);
        Assert.Contains("**근본 원인.**", text, StringComparison.Ordinal);
        Assert.Contains("**권장 조치.**", text, StringComparison.Ordinal);
        Assert.DoesNotContain("confidence", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Root cause", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("markdown", "## HIGH · `database.pool_exhausted`")]
    [InlineData("text", "HIGH database.pool_exhausted")]
    public void HumanFormatsLeadWithSeverityAndCategory(string format, string expected)
    {
        var output = new StringWriter();
        AnalyzeCommand.Run(Excerpt, output, format: format, service: "orders", environment: "production");
        Assert.StartsWith(expected, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WholeFile_ReportsIncidentsGroupedByFingerprintMostImportantFirst()
    {
        var log = new StringBuilder();
        for (var i = 0; i < 150; i++)
        {
            var ts = $"2024-05-01 10:{i / 60:00}:{i % 60:00}";
            log.Append(ts).Append(" INFO  handled request ").Append(i).Append('\n');
            if (i % 10 == 3)
            {
                log.Append(ts).Append(" ERROR call to ledger failed: java.net.SocketTimeoutException: Read timed out\n");
            }
        }

        log.Append("2024-05-01 10:03:00 ERROR java.io.IOException: No space left on device\n");
        var output = new StringWriter();
        AnalyzeCommand.Run(log.ToString(), output, format: "json", environment: "production");
        using var doc = JsonDocument.Parse(output.ToString());
        var incidents = doc.RootElement.GetProperty("incidents");
        Assert.Equal(2, incidents.GetArrayLength());
        Assert.Equal("resource.disk", incidents[0].GetProperty("category").GetString());
        Assert.Equal("network.timeout", incidents[1].GetProperty("category").GetString());
        Assert.Equal(15, incidents[1].GetProperty("count").GetInt32());
        Assert.Equal("2024-05-01 10:00:03", incidents[1].GetProperty("first_seen").GetString());
        Assert.Equal("2024-05-01 10:02:23", incidents[1].GetProperty("last_seen").GetString());
    }

    [Fact]
    public void SingleMode_ForcesOneReportForALongFile()
    {
        var log = string.Concat(Enumerable.Range(0, 120).Select(i => $"2024-05-01 10:00:00 ERROR java.io.IOException: No space left on device {i}\nERROR: deadlock detected\n"));
        var output = new StringWriter();
        AnalyzeCommand.Run(log, output, format: "json", mode: "single");
        using var doc = JsonDocument.Parse(output.ToString());
        Assert.True(doc.RootElement.TryGetProperty("category", out _));
    }

    [Fact]
    public async Task RunAsync_UsesTheAnalyzerItIsGiven()
    {
        var output = new StringWriter();
        var code = await AnalyzeCommand.RunAsync("anything", output, new AnalyzeOptions(Format: "json"), new FixedAnalyzer(), CancellationToken.None);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output.ToString());
        Assert.Equal("fixed", doc.RootElement.GetProperty("engine").GetString());
        Assert.Equal("network.dns", doc.RootElement.GetProperty("category").GetString());
    }

    private sealed class FixedAnalyzer : IAnalyzer
    {
        public Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new AnalyzerOutcome(
                new AnalysisReport("s", "r", "rec", Severity.HIGH, 0.5, "network.dns", "f", [], "fixed/1"), "fixed", "fixed/1"));
    }
}
