using Bifrost.Analysis;

namespace Bifrost.Analysis.Tests;

public class ExplanationTests
{
    private static readonly LogAnalyzer Engine = new();

    private const string PoolExcerpt = """
        2024-06-02 14:22:10.511 ERROR [http-nio-8080-exec-41] com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=117)
        java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=117)
        	at com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)
        """;

    [Fact]
    public void English_NamesServiceAndKeyNumbers()
    {
        var report = Engine.Analyze(new AnalysisInput(PoolExcerpt, "orders-api", "production"));
        Assert.Contains("orders-api", report.Summary, StringComparison.Ordinal);
        Assert.Contains("20", report.Summary, StringComparison.Ordinal);
        Assert.Contains("30000 ms", report.Summary, StringComparison.Ordinal);
        Assert.Contains("pg_stat_activity", report.Recommendation, StringComparison.Ordinal);
        Assert.Equal("bifrost-builtin/1.0", report.Model);
    }

    [Fact]
    public void Korean_IsWrittenInKoreanWithTheSameFacts()
    {
        var report = Engine.Analyze(new AnalysisInput(PoolExcerpt, "orders-api", "production", "ko"));
        Assert.Contains("커넥션", report.Summary, StringComparison.Ordinal);
        Assert.Contains("orders-api", report.Summary, StringComparison.Ordinal);
        Assert.Contains("풀 크기 20", report.Summary, StringComparison.Ordinal);
        Assert.Contains("확인하세요", report.Recommendation, StringComparison.Ordinal);
        Assert.Contains("max_connections", report.RootCause, StringComparison.Ordinal);
    }

    [Fact]
    public void Explanation_NamesTheFailingDependency()
    {
        var report = Engine.Analyze(new AnalysisInput("org.postgresql.util.PSQLException: Connection to orders-db.internal:5432 refused.", "checkout", "production"));
        Assert.Contains("orders-db.internal:5432", report.Summary, StringComparison.Ordinal);
        Assert.Equal(Severity.CRITICAL, report.Severity);
    }

    [Fact]
    public void Explanation_WithoutServiceNameStillReadsWell()
    {
        var report = Engine.Analyze(new AnalysisInput("java.net.UnknownHostException: ledger.internal"));
        Assert.StartsWith("The service could not resolve the host name", report.Summary, StringComparison.Ordinal);
        Assert.Contains("ledger.internal", report.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ko")]
    public void EveryTextFieldIsRedacted(string language)
    {
        const string excerpt = "2024-05-01 10:00:00 ERROR login for alice@example.com failed: password authentication failed for user \"alice@example.com\"";
        var report = Engine.Analyze(new AnalysisInput(excerpt, "auth", "production", language));
        Assert.Equal("database.auth", report.Category);
        foreach (var text in new[] { report.Summary, report.RootCause, report.Recommendation }.Concat(report.Evidence.Select(e => e.Text)))
        {
            Assert.DoesNotContain("alice@example.com", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Recommendation_IsSpecificToTheCategory()
    {
        var oom = Engine.Analyze(new AnalysisInput("Reason: OOMKilled\nExit Code: 137\nLimits:\n  memory: 512Mi", "etl", "production"));
        var tls = Engine.Analyze(new AnalysisInput("x509: certificate signed by unknown authority", "etl", "production"));
        Assert.Contains("512Mi", oom.Summary, StringComparison.Ordinal);
        Assert.Contains("heap", oom.Recommendation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openssl s_client", tls.Recommendation, StringComparison.Ordinal);
        Assert.NotEqual(oom.Recommendation, tls.Recommendation);
    }
}
