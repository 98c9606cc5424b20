using Bifrost.Analysis.Normalization;

namespace Bifrost.Analysis.Tests;

public class NormalizationTests
{
    [Fact]
    public void JavaStackWithCausedByAndMoreIsOneEventWithInnermostCause()
    {
        var log = Normalizer.Normalize("""
            2024-05-01 10:00:00.000 ERROR [main] c.e.App - request failed
            org.springframework.dao.DataAccessResourceFailureException: could not fetch
            	at org.springframework.orm.jpa.Foo.bar(Foo.java:10)
            	... 12 more
            Caused by: java.net.SocketTimeoutException: Read timed out
            	at java.base/java.net.SocketInputStream.read(SocketInputStream.java:1)
            	... 40 more
            2024-05-01 10:00:01.000 INFO  [main] c.e.App - next request
            """);
        Assert.Equal(2, log.Events.Count);
        var ev = log.Events[0];
        Assert.Equal(7, ev.Lines.Count);
        Assert.Equal(1, ev.MaxDepth);
        Assert.StartsWith("Caused by: java.net.SocketTimeoutException", ev.InnermostMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DotNetInnerExceptionsAreJoinedAndDeepestIsInnermost()
    {
        var log = Normalizer.Normalize("""
            System.InvalidOperationException: outer
             ---> System.IO.IOException: middle
             ---> System.Net.Sockets.SocketException (104): Connection reset by peer
               at System.Net.Sockets.Socket.Receive()
               --- End of inner exception stack trace ---
               at Foo.Bar()
               --- End of inner exception stack trace ---
            """);
        var ev = Assert.Single(log.Events);
        Assert.Equal(2, ev.MaxDepth);
        Assert.Contains("SocketException", ev.InnermostMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PythonChainedTracebacksAreOneEventAndTheFirstExceptionIsInnermost()
    {
        var log = Normalizer.Normalize("""
            Traceback (most recent call last):
              File "a.py", line 1, in <module>
                open("x")
            FileNotFoundError: [Errno 2] No such file or directory: 'x'

            The above exception was the direct cause of the following exception:

            Traceback (most recent call last):
              File "b.py", line 2, in <module>
                load()
            RuntimeError: could not load
            """);
        var ev = Assert.Single(log.Events);
        Assert.StartsWith("FileNotFoundError", ev.InnermostMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeStackFramesJoinTheError()
    {
        var log = Normalizer.Normalize("""
            Error: connect ECONNREFUSED 127.0.0.1:6379
                at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)
                at TCPConnectWrap.callbackTrampoline (node:internal/async_hooks:130:17)
            """);
        var ev = Assert.Single(log.Events);
        Assert.Equal(3, ev.Lines.Count);
    }

    [Fact]
    public void GoPanicAndGoroutineDumpAreOneEvent()
    {
        var log = Normalizer.Normalize("""
            panic: runtime error: index out of range [3] with length 3

            goroutine 1 [running]:
            main.pick(...)
            	/src/main.go:12
            main.main()
            	/src/main.go:20 +0x1d
            exit status 2
            """);
        var ev = Assert.Single(log.Events);
        Assert.StartsWith("panic:", ev.Messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public void AnsiCodesAreStripped()
    {
        var log = Normalizer.Normalize("\u001b[31mERROR\u001b[0m \u001b[1mdisk full\u001b[22m");
        Assert.DoesNotContain('\u001b', log.Events[0].Lines[0]);
    }

    [Fact]
    public void JsonLinesExposeMessageLevelAndException()
    {
        var log = Normalizer.Normalize("""
            {"@t":"2024-05-01T10:00:00Z","level":"Error","message":"payment failed","exception":"System.TimeoutException: The operation has timed out.\n   at Pay.Client.Send()"}
            """);
        Assert.Equal(LogShape.Json, log.Shape);
        var ev = Assert.Single(log.Events);
        Assert.Equal(LogLevel.Error, ev.Level);
        Assert.Contains(ev.Messages, m => m.StartsWith("System.TimeoutException", StringComparison.Ordinal));
    }

    [Fact]
    public void LogfmtLinesExposeMsgAndErr()
    {
        var log = Normalizer.Normalize("level=error ts=2024-05-01T10:00:00Z caller=db.go:40 msg=\"query failed\" err=\"pq: deadlock detected\"");
        Assert.Equal(LogShape.Logfmt, log.Shape);
        Assert.Equal("query failed: pq: deadlock detected", log.Events[0].Messages[0]);
        Assert.Equal(LogLevel.Error, log.Events[0].Level);
    }

    [Fact]
    public void SyslogHeaderIsRemovedFromEachLine()
    {
        var log = Normalizer.Normalize("May  1 10:00:00 web-1 api[321]: java.lang.OutOfMemoryError: Java heap space\nMay  1 10:00:00 web-1 api[321]: \tat java.util.Arrays.copyOf(Arrays.java:3537)");
        var ev = Assert.Single(log.Events);
        Assert.StartsWith("java.lang.OutOfMemoryError", ev.Messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesEventsAreSeparateEventsWithReason()
    {
        var log = Normalizer.Normalize("""
              Warning  FailedScheduling  2m   default-scheduler  0/3 nodes are available: 3 Insufficient cpu.
              Normal   Scheduled         1m   default-scheduler  Successfully assigned prod/api-1 to node-2
            """);
        Assert.Equal(LogShape.Kubernetes, log.Shape);
        Assert.Equal(2, log.Events.Count);
        Assert.StartsWith("FailedScheduling: 0/3 nodes", log.Events[0].Messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public void PrefixedLinesAreSeparateEvents()
    {
        var log = Normalizer.Normalize("2024-05-01 10:00:00 ERROR a failed\n2024-05-01 10:00:01 ERROR b failed\n2024-05-01 10:00:02 INFO ok");
        Assert.Equal(3, log.Events.Count);
        Assert.Equal("2024-05-01 10:00:00", log.Events[0].Timestamp);
    }

    [Theory]
    [InlineData("2024-08-07 14:44:12.376 UTC [1] LOG:  database system is ready to accept connections", LogLevel.Info)]
    [InlineData("2016/03/14 00:35:26 [alert] 25909#0: 1024 worker_connections are not enough", LogLevel.Fatal)]
    [InlineData("[Tue Feb 16 17:32:26.951302 2016] [mpm_prefork:error] [pid 108] AH00161: server reached MaxRequestWorkers setting", LogLevel.Error)]
    [InlineData("I, [2025-08-23T22:36:34.171432 #3942431]  INFO -- : Completed 422 Unprocessable Entity in 39ms", LogLevel.Info)]
    [InlineData("F, [2025-08-23T22:36:34.173599 #3942431] FATAL -- : ActiveRecord::RecordInvalid", LogLevel.Fatal)]
    [InlineData("%3|1515056843.985|FAIL|rdkafka#consumer-0| mybroker:9092/bootstrap: Failed to resolve 'mybroker:9092'", LogLevel.Error)]
    [InlineData("%6|1515056843.985|CONNECT|rdkafka#consumer-0| connected", LogLevel.Info)]
    [InlineData("[2019-03-04T18:01:49,875][WARN ][logstash.outputs.elasticsearch] Could not index event to Elasticsearch.", LogLevel.Warn)]
    [InlineData("[ALERT]    (301) : backend 'api' has no server available!", LogLevel.Fatal)]
    [InlineData("tj5-dev01:534:1763 [3] NCCL INFO NVLS comm 0x7f1928e6e060 headRank 3", LogLevel.Info)]
    public void LevelsAreReadFromEachFrameworksOwnPrefix(string line, LogLevel expected) =>
        Assert.Equal(expected, Assert.Single(Normalizer.Normalize(line).Events).Level);

    [Theory]
    [InlineData("déc. 11 08:29:21 lingerie systemd[1]: ebusd.service: Start request repeated too quickly.", "ebusd.service: Start request repeated too quickly.")]
    [InlineData("2018-09-21T10:43:55.673998024Z app[web.1]: TypeError: Cannot read property 'map' of undefined", "TypeError: Cannot read property 'map' of undefined")]
    [InlineData("[2019-03-04T18:01:49,875][WARN ][logstash.outputs.elasticsearch] Could not index event", "Could not index event")]
    public void CarrierAndRecordPrefixesAreNotPartOfTheMessage(string line, string message) =>
        Assert.Equal(message, Assert.Single(Normalizer.Normalize(line).Events).Messages[0]);

    [Theory]
    [InlineData("    at com.example.orders.OrderService.place(OrderService.java:42) ~[main/:na]", "OrderService.java:42", false)]
    [InlineData("    at org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:107) [spring-web-5.1.4.RELEASE.jar:5.1.4.RELEASE]", "OncePerRequestFilter.java:107", true)]
    [InlineData("  File \"/app/views.py\", line 44, in detail", "app/views.py:44", false)]
    [InlineData("  File \"/usr/lib/python3.11/site-packages/django/core/handlers/base.py\", line 181, in _get_response", "handlers/base.py:181", true)]
    [InlineData("    at Request._callback (/app/lib/top_starred.js:14:22)", "lib/top_starred.js:14", false)]
    [InlineData("    at Request.emit (events.js:110:17)", "events.js:110", true)]
    [InlineData("\t/home/ubuntu/go/src/github.com/heidi-ann/ios/app/app.go:32 +0x3bb", "app/app.go:32", false)]
    [InlineData("\t/usr/local/go/src/runtime/panic.go:500 +0x1a1", "runtime/panic.go:500", true)]
    [InlineData("   at Shop.Api.Orders.Place(Order o) in /src/Shop.Api/Orders.cs:line 57", "Shop.Api/Orders.cs:57", false)]
    [InlineData("app/controllers/user_controller.rb:71:in `update'", "controllers/user_controller.rb:71", false)]
    public void FramesSayWhereTheyPointAndWhetherTheCodeIsTheApplications(string frame, string location, bool library)
    {
        var located = StackTrace.Locate(frame);
        Assert.NotNull(located);
        Assert.Equal(location, located.Value.Location);
        Assert.Equal(library, located.Value.Library);
    }

    [Fact]
    public void TheFirstApplicationFrameSkipsTheRuntimeAndLibraries()
    {
        var log = Normalizer.Normalize("""
            TypeError: Cannot read property 'map' of undefined
                at Array.forEach (<anonymous>)
                at /app/node_modules/request/request.js:368:22
                at Request._callback (/app/lib/top_starred.js:14:22)
            """);
        Assert.Equal("lib/top_starred.js:14", StackTrace.FirstApplicationFrame(Assert.Single(log.Events)));
    }
}
