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

    [Theory]
    [InlineData("Traceback (most recent call last):\n  File \"/srv/bot/main.py\", line 9, in <module>\n    main()\n  File \"/srv/bot/main.py\", line 5, in main\n    rows = load()\nNameError: name 'load' is not defined")]
    [InlineData("/srv/app/server.js:14\n    const n = cfg.port.length;\n                       ^\n\nTypeError: Cannot read properties of undefined (reading 'length')\n    at Object.<anonymous> (/srv/app/server.js:14:24)")]
    [InlineData("Exception in thread \"main\" java.lang.IllegalStateException: no profile\n\tat com.example.Main.main(Main.java:12)")]
    [InlineData("2024-05-01 10:00:00,000 ERROR [main] o.s.boot.SpringApplication - Application run failed\njava.lang.IllegalArgumentException: bad\n\tat com.example.App.run(App.java:3)")]
    [InlineData("Terminating due to java.lang.OutOfMemoryError: Java heap space")]
    [InlineData("Unhandled exception. System.InvalidOperationException: Sequence contains no elements\n   at Shop.Program.Main(String[] args) in /src/Program.cs:line 20")]
    [InlineData("thread 'main' panicked at src/main.rs:40:10:\ncalled `Option::unwrap()` on a `None` value")]
    [InlineData("Mar 04 10:22:31 web1 systemd[1]: shop.service: Main process exited, code=exited, status=1/FAILURE")]
    public void ProcessTerminationAndStartupFailureAreCritical(string excerpt) =>
        Assert.Equal(Severity.CRITICAL, Analyze(excerpt).Severity);

    [Fact]
    public void ASupervisorRestartingTheWorkerIsHighNotCritical() =>
        Assert.Equal(Severity.HIGH, Analyze(" WARN  Worker 17 died with code 1. Restarting worker.").Severity);

    [Fact]
    public void InfoLinesOnlyAreNoFailure()
    {
        var report = Analyze("""
            2024-05-01 10:00:00 INFO  c.e.RetryConfig : retry policy: max 3 attempts on java.net.SocketTimeoutException, backoff 200ms
            2024-05-01 10:05:00 INFO  c.e.Stats : last 5 minutes: 1200 calls, 0 failures, 0 timeouts
            """);
        Assert.Equal("unknown", report.Category);
        Assert.Equal(Severity.LOW, report.Severity);
        Assert.True(report.Confidence < 0.5);
    }

    [Fact]
    public void ALaterSuccessfulPullDoesNotRecoverACrashLoop()
    {
        var report = Analyze("""
              Warning  BackOff    2m (x40 over 12m)   kubelet  Back-off restarting failed container api in pod api-7d4b9_shop(8c1f)
              Normal   Pulled     1m (x9 over 12m)    kubelet  Successfully pulled image "registry/shop/api:1.4.2" in 1.2s
            """);
        Assert.Equal("k8s.crash_loop", report.Category);
        Assert.Equal(Severity.CRITICAL, report.Severity);
    }

    [Fact]
    public void ARecoveryCountsOnlyForTheSameKindOfFailure()
    {
        var reconnected = Analyze("""
            2024-05-01 10:00:00 ERROR c.e.Cache : redis connection to cache-1:6379 failed: Connection refused
            2024-05-01 10:00:05 INFO  c.e.Cache : reconnected to cache-1:6379
            """);
        Assert.Equal(Severity.LOW, reconnected.Severity);
        var unrelated = Analyze("""
            2024-05-01 10:00:00 ERROR c.e.Orders : java.lang.NullPointerException: order.customer is null
            2024-05-01 10:00:05 INFO  c.e.Cache : reconnected to cache-1:6379
            """);
        Assert.Equal(Severity.HIGH, unrelated.Severity);
    }

    [Fact]
    public void AClientsOwn4xxInTheAccessLogIsLow() =>
        Assert.Equal(Severity.LOW, Analyze("10.0.0.7 - - [01/May/2024:10:00:00 +0000] \"POST /api/orders HTTP/1.1\" 422 81 \"-\" \"curl/8.0\"").Severity);

    [Fact]
    public void ErrorsAfterARequestedShutdownAreLow() =>
        Assert.Equal(Severity.LOW, Analyze("""
            2024-07-16 14:13:12.520 UTC [140] LOG:  received fast shutdown request
            2024-07-16 14:13:12.528 UTC [1794] FATAL:  terminating connection due to administrator command
            2024-07-16 14:13:12.536 UTC [140] LOG:  background worker "logical replication launcher" (PID 3435) exited with exit code 1
            """).Severity);

    [Fact]
    public void ARetriedWarningIsMedium() =>
        Assert.Equal(Severity.MEDIUM, Analyze("2024-05-01 10:00:00 WARN  o.a.k.c.NetworkClient : [Consumer clientId=c-1, groupId=g] Error while fetching metadata with correlation id 7 : {orders=LEADER_NOT_AVAILABLE}").Severity);

    [Fact]
    public void APermissionErrorOnTheServicesOwnPathIsCritical() =>
        Assert.Equal(Severity.CRITICAL, Analyze("Error: EACCES: permission denied, mkdir '/var/lib/notes/uploads'\n    at Object.mkdirSync (node:fs:1398:3)").Severity);

    [Theory]
    [InlineData("Illuminate\\Validation\\ValidationException in POST /orders/save\nThe given data was invalid.")]
    [InlineData("I, [2025-01-02T10:00:00.000000 #12]  INFO -- : Completed 422 Unprocessable Entity in 12ms\nF, [2025-01-02T10:00:00.001000 #12] FATAL -- : ActiveRecord::RecordInvalid (Validation failed: Email is invalid)")]
    public void AValidationRejectAnsweredWithA4xxIsLow(string excerpt)
    {
        var report = Analyze(excerpt);
        Assert.Equal("data.validation", report.Category);
        Assert.Equal(Severity.LOW, report.Severity);
    }

    [Fact]
    public void AValidationRejectWithoutAClientAnswerStaysMedium() =>
        Assert.Equal(Severity.MEDIUM, Analyze("[2024-05-01T10:00:00,000][WARN ][logstash.outputs.elasticsearch] Could not index event to Elasticsearch. {:status=>400, :response=>{\"index\"=>{\"error\"=>{\"type\"=>\"mapper_parsing_exception\", \"reason\"=>\"failed to parse field [ts]\"}}}}").Severity);

    [Fact]
    public void DockerFailingToCreateTheContainerIsAStartupFailure() =>
        Assert.Equal(Severity.CRITICAL, Analyze("Attaching to backup\nError response from daemon: OCI runtime create failed: container_linux.go:349: starting container process caused \"exec: \\\"/app/run\\\": stat /app/run: no such file or directory\": unknown").Severity);

    [Fact]
    public void ConfidenceIsCappedWhenTheFailureFollowsARequestedStop()
    {
        var report = Analyze("""
            2024-05-01 10:00:00.000 UTC [88] LOG:  received smart shutdown request
            2024-05-01 10:00:00.010 UTC [91] FATAL:  terminating connection due to administrator command
            """);
        Assert.Equal(Severity.LOW, report.Severity);
        Assert.True(report.Confidence <= Bifrost.Analysis.Signatures.Calibration.AfterStopCap, $"confidence {report.Confidence}");
    }
}
