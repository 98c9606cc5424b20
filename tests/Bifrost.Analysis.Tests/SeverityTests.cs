using Bifrost.Analysis;

namespace Bifrost.Analysis.Tests;

public class SeverityTests
{
    private static readonly LogAnalyzer Engine = new();

    private static AnalysisReport Analyze(string text, string environment = "production") => Engine.Analyze(new AnalysisInput(text, "svc", environment));

    [Fact]
    public void WarnDeprecatedIsLow()
    {
        var report = Analyze("2024-05-01 10:00:00 WARN  o.s.b.c.p.m.PropertiesMigrationListener : The use of configuration key 'spring.redis.host' is deprecated; use 'spring.data.redis.host' instead");
        Assert.Equal(Severity.LOW, report.Severity);
    }

    [Fact]
    public void RetriedAndRecoveredIsLow()
    {
        var report = Analyze("""
            2024-05-01 10:00:00 WARN  c.e.Client : call to ledger failed: java.net.SocketTimeoutException: Read timed out, retrying (attempt 1/3)
            2024-05-01 10:00:01 INFO  c.e.Client : retry succeeded after 1 attempt
            """);
        Assert.Equal("network.timeout", report.Category);
        Assert.Equal(Severity.LOW, report.Severity);
    }

    [Fact]
    public void OomKilledIsCritical() =>
        Assert.Equal(Severity.CRITICAL, Analyze("    Last State:  Terminated\n      Reason:    OOMKilled\n      Exit Code: 137").Severity);

    [Fact]
    public void DiskFullIsCritical() =>
        Assert.Equal(Severity.CRITICAL, Analyze("OSError: [Errno 28] No space left on device: '/data/out.bin'").Severity);

    [Fact]
    public void PoolExhaustionIsHigh() =>
        Assert.Equal(Severity.HIGH, Analyze("sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00").Severity);

    [Fact]
    public void RateLimitIsMedium() =>
        Assert.Equal(Severity.MEDIUM, Analyze("HTTP 429 Too Many Requests: rate limit exceeded for key ab12").Severity);

    [Theory]
    [InlineData("dev", Severity.HIGH)]
    [InlineData("test", Severity.HIGH)]
    [InlineData("production", Severity.CRITICAL)]
    [InlineData("prod", Severity.CRITICAL)]
    [InlineData("staging", Severity.CRITICAL)]
    public void EnvironmentLowersCriticalOnlyInDevAndTest(string environment, Severity expected) =>
        Assert.Equal(expected, Analyze("Error: ENOSPC: no space left on device, write", environment).Severity);

    [Theory]
    [InlineData("dev", Severity.MEDIUM)]
    [InlineData("production", Severity.HIGH)]
    public void EnvironmentLowersHighInDev(string environment, Severity expected) =>
        Assert.Equal(expected, Analyze("java.lang.NullPointerException\n\tat com.example.A.b(A.java:1)", environment).Severity);

    [Fact]
    public void EnvironmentNeverLowersMediumOrLow() =>
        Assert.Equal(Severity.MEDIUM, Analyze("HTTP 429 Too Many Requests: rate limit exceeded", "dev").Severity);
}
