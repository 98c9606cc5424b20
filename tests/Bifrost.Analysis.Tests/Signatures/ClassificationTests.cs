using Bifrost.Analysis;

namespace Bifrost.Analysis.Tests;

public class ClassificationTests
{
    private static readonly LogAnalyzer Engine = new();

    [Theory]
    [MemberData(nameof(FailureSamples.All), MemberType = typeof(FailureSamples))]
    public void Analyze_NamesTheCategoryOfRealMessageShapes(string category, string excerpt)
    {
        var report = Engine.Analyze(new AnalysisInput(excerpt, "svc", "production"));
        Assert.Equal(category, report.Category);
        Assert.NotEmpty(report.Evidence);
    }

    [Fact]
    public void Samples_CoverEveryTaxonomyCategory()
    {
        var covered = FailureSamples.All.Select(row => (string)row[0]).ToHashSet();
        string[] taxonomy =
        [
            "database.connection", "database.pool_exhausted", "database.deadlock", "database.constraint", "database.query", "database.auth",
            "network.connection_refused", "network.timeout", "network.dns", "network.tls", "http.upstream_error", "http.rate_limited",
            "auth.credentials", "auth.permission", "resource.memory", "resource.disk", "resource.file_descriptors", "gpu.out_of_memory",
            "gpu.runtime", "k8s.crash_loop", "k8s.image_pull", "k8s.probe_failed", "k8s.scheduling", "k8s.evicted", "code.null_reference",
            "code.type_error", "code.index_error", "code.stack_overflow", "code.unhandled", "dependency.missing", "config.invalid",
            "filesystem.not_found", "filesystem.permission", "messaging.broker", "cache.unavailable", "concurrency.thread_pool",
            "data.validation", "unknown",
        ];
        Assert.Empty(taxonomy.Except(covered));
    }

    [Fact]
    public void Analyze_InnermostCauseBeatsWrapper()
    {
        const string excerpt = """
            org.springframework.web.util.NestedServletException: Request processing failed; nested exception is java.lang.IllegalStateException: batch failed
            	at org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)
            Caused by: java.lang.IllegalStateException: batch failed
            	at com.example.Batch.run(Batch.java:20)
            Caused by: java.net.UnknownHostException: ledger.internal
            	at java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1301)
            """;
        var report = Engine.Analyze(new AnalysisInput(excerpt));
        Assert.Equal("network.dns", report.Category);
        Assert.Contains(report.Evidence, e => e.Text.Contains("UnknownHostException", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_DotNetInnerExceptionBeatsOuter()
    {
        const string excerpt = """
            System.AggregateException: One or more errors occurred. (An error occurred while sending the request.)
             ---> System.Net.Http.HttpRequestException: An error occurred while sending the request.
             ---> System.Net.Sockets.SocketException (11001): No such host is known.
               at System.Net.Sockets.Socket.ConnectAsync(SocketAsyncEventArgs e)
               --- End of inner exception stack trace ---
            """;
        Assert.Equal("network.dns", Engine.Analyze(new AnalysisInput(excerpt)).Category);
    }

    [Fact]
    public void Analyze_PythonChainedTracebackUsesTheFirstCause()
    {
        const string excerpt = """
            Traceback (most recent call last):
              File "/app/cache.py", line 20, in get
                return self.client.get(key)
            redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "/app/views.py", line 44, in detail
                item = cache.get(key)
            RuntimeError: cache lookup failed
            """;
        Assert.Equal("cache.unavailable", Engine.Analyze(new AnalysisInput(excerpt)).Category);
    }

    [Theory]
    [InlineData("org.postgresql.util.PSQLException: Connection to db.internal:5432 refused.")]
    [InlineData("Error: connect ECONNREFUSED 10.0.0.8:3306\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)")]
    [InlineData("psycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host \"pg\" and accepting TCP/IP connections on port 5432?")]
    public void Analyze_RefusedConnectionToADatabaseIsDatabaseConnection(string excerpt)
    {
        Assert.Equal("database.connection", Engine.Analyze(new AnalysisInput(excerpt, "api", "production")).Category);
    }

    [Fact]
    public void Analyze_RefusedConnectionToAPlainServiceIsNetwork()
    {
        var report = Engine.Analyze(new AnalysisInput("Error: connect ECONNREFUSED 10.0.0.8:8080\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)"));
        Assert.Equal("network.connection_refused", report.Category);
    }

    [Fact]
    public void Analyze_ExceptionTypeBeatsKeyword()
    {
        // "timeout" appears as a word, but the exception type names the real failure
        const string excerpt = "java.lang.NullPointerException: Cannot invoke \"Config.timeout()\" because \"cfg\" is null\n\tat com.example.Client.call(Client.java:12)";
        Assert.Equal("code.null_reference", Engine.Analyze(new AnalysisInput(excerpt)).Category);
    }

    [Fact]
    public void Analyze_NothingRecognisableIsUnknownWithLowConfidence()
    {
        var report = Engine.Analyze(new AnalysisInput("2024-01-01 10:00:00 ERROR something went sideways in step 4"));
        Assert.Equal("unknown", report.Category);
        Assert.True(report.Confidence <= 0.5, $"confidence {report.Confidence}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\n\t ")]
    public void Analyze_EmptyExcerptIsLowUnknown(string excerpt)
    {
        var report = Engine.Analyze(new AnalysisInput(excerpt, "svc", "production"));
        Assert.Equal("unknown", report.Category);
        Assert.Equal(Severity.LOW, report.Severity);
        Assert.Empty(report.Evidence);
    }

    [Fact]
    public void Analyze_ClearEvidenceHasHighConfidence()
    {
        var report = Engine.Analyze(new AnalysisInput("FATAL:  remaining connection slots are reserved for non-replication superuser connections"));
        Assert.Equal("database.pool_exhausted", report.Category);
        Assert.True(report.Confidence >= 0.85, $"confidence {report.Confidence}");
    }

    [Fact]
    public void Analyze_IsDeterministic()
    {
        var excerpt = FailureSamples.All.Select(r => (string)r[1]).First();
        var a = Engine.Analyze(new AnalysisInput(excerpt, "orders", "production", "ko"));
        var b = new LogAnalyzer().Analyze(new AnalysisInput(excerpt, "orders", "production", "ko"));
        Assert.Equal(a with { Evidence = [] }, b with { Evidence = [] });
        Assert.Equal(a.Evidence, b.Evidence);
    }

    [Fact]
    public void Analyze_SharedInstanceGivesTheSameAnswersFromManyThreads()
    {
        var excerpts = FailureSamples.All.Select(r => (string)r[1]).ToArray();
        var sequential = excerpts.Select(e => Engine.Analyze(new AnalysisInput(e, "svc", "production", "ko"))).ToArray();
        var parallel = new AnalysisReport[excerpts.Length];
        Parallel.For(0, excerpts.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            parallel[i % excerpts.Length] = Engine.Analyze(new AnalysisInput(excerpts[i % excerpts.Length], "svc", "production", "ko")));
        for (var i = 0; i < excerpts.Length; i++)
        {
            Assert.Equal(sequential[i] with { Evidence = [] }, parallel[i] with { Evidence = [] });
            Assert.Equal(sequential[i].Evidence, parallel[i].Evidence);
        }
    }

    [Fact]
    public void Analyze_SameFailureWithDifferentIdsHasSameFingerprint()
    {
        var a = Engine.Analyze(new AnalysisInput("java.net.UnknownHostException: pay-7341.internal: Name or service not known"));
        var b = Engine.Analyze(new AnalysisInput("java.net.UnknownHostException: pay-9902.internal: Name or service not known"));
        var c = Engine.Analyze(new AnalysisInput("java.lang.OutOfMemoryError: Java heap space"));
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, c.Fingerprint);
    }
}
