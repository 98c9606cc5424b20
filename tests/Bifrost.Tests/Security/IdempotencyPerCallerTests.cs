using System.Net;
using System.Net.Http.Json;
using Bifrost.Api.V1;
using Bifrost.Tests.Api;
using Grpc.Core;
using Grpc.Net.Client;

namespace Bifrost.Tests.Security;

/// <summary>
/// Issue 14 #8: key B posting key A's request_id with other content got A's analysis back (A's log, A's severity).
/// A request_id is now idempotent per caller: a retry gets the stored answer, other content under the same id is a
/// 409 problem (gRPC ALREADY_EXISTS), and another caller's id is simply a new request. Both stores (migration 4).
/// </summary>
[Trait("Suite", "Hostile")]
public sealed class IdempotencyPerCallerTests
{
    private const string SecretLog = "ERROR OutOfMemoryError: Java heap space in tenant-a-only-batch-job";

    public static TheoryData<string> Stores() => ["sqlite", "postgres"];

    private static async Task<TestDatabase?> DatabaseAsync(string store) => store == "postgres" ? await TestDatabase.CreateAsync() : null;

    private static Task<TestHost> StartAsync(TestDatabase? db, bool grpc = false) =>
        TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" }, db?.Url, grpc);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task AnotherCallersRequestId_NeverReturnsTheirAnalysis(string store)
    {
        await using var db = await DatabaseAsync(store);
        await using var host = await StartAsync(db);
        using var a = host.Client(await host.CreateKeyAsync(name: "a"));
        using var b = host.Client(await host.CreateKeyAsync(name: "b"));

        using var first = await a.PostAsJsonAsync("/api/v1/analysis", Requests.Body(service: "tenant-a", log: SecretLog, requestId: "shared-id"));
        var mine = await RestApiTests.Json(first);
        using var other = await b.PostAsJsonAsync("/api/v1/analysis", Requests.Body(service: "tenant-b", log: "ERROR disk full on /var", requestId: "shared-id"));
        var theirs = await RestApiTests.Json(other);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.NotEqual(mine.GetProperty("analysis_id").GetInt64(), theirs.GetProperty("analysis_id").GetInt64());
        Assert.Equal("tenant-b", theirs.GetProperty("request").GetProperty("service_name").GetString());
        Assert.DoesNotContain("tenant-a", theirs.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("shared-id", theirs.GetProperty("request").GetProperty("request_id").GetString());

        // The asynchronous endpoint keeps callers apart too.
        using var accepted = await b.PostAsJsonAsync("/api/v1/analysis/request", Requests.Body(service: "tenant-b", log: "ERROR other", requestId: "a-async"));
        using var acceptedA = await a.PostAsJsonAsync("/api/v1/analysis/request", Requests.Body(service: "tenant-a", log: SecretLog, requestId: "a-async"));
        Assert.Equal(HttpStatusCode.Accepted, acceptedA.StatusCode);
        Assert.NotEqual((await RestApiTests.Json(accepted)).GetProperty("analysis_id").GetInt64(), (await RestApiTests.Json(acceptedA)).GetProperty("analysis_id").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SameCaller_Retry_GetsTheStoredAnswer_OtherContent_Is409(string store)
    {
        await using var db = await DatabaseAsync(store);
        await using var host = await StartAsync(db);
        using var a = host.Client(await host.CreateKeyAsync(name: "a"));

        using var first = await a.PostAsJsonAsync("/api/v1/analysis", Requests.Body(service: "retry", log: SecretLog, requestId: "retry-1"));
        using var retry = await a.PostAsJsonAsync("/api/v1/analysis", Requests.Body(service: "retry", log: SecretLog, requestId: "retry-1"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal((await RestApiTests.Json(first)).GetProperty("analysis_id").GetInt64(), (await RestApiTests.Json(retry)).GetProperty("analysis_id").GetInt64());

        foreach (var path in new[] { "/api/v1/analysis", "/api/v1/analysis/request" })
        {
            using var reused = await a.PostAsJsonAsync(path, Requests.Body(service: "retry", log: "ERROR something else entirely", requestId: "retry-1"));
            var problem = await RestApiTests.AssertProblem(reused, HttpStatusCode.Conflict);
            Assert.Contains("retry-1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("OutOfMemory", problem.GetRawText(), StringComparison.Ordinal);
        }

        // Accepted then retried: the same id, not a conflict.
        using var queued = await a.PostAsJsonAsync("/api/v1/analysis/request", Requests.Body(service: "retry", log: SecretLog, requestId: "retry-2"));
        using var queuedAgain = await a.PostAsJsonAsync("/api/v1/analysis/request", Requests.Body(service: "retry", log: SecretLog, requestId: "retry-2"));
        Assert.Equal(HttpStatusCode.Accepted, queuedAgain.StatusCode);
        Assert.Equal((await RestApiTests.Json(queued)).GetProperty("analysis_id").GetInt64(), (await RestApiTests.Json(queuedAgain)).GetProperty("analysis_id").GetInt64());
    }

    [Fact]
    public async Task Grpc_ReusedIdWithOtherContent_IsAlreadyExists_OtherCallerIsSeparate()
    {
        await using var host = await StartAsync(null, grpc: true);
        using var channel = GrpcChannel.ForAddress(host.Grpc!);
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);
        var a = new Metadata { { "x-api-key", await host.CreateKeyAsync(name: "a") } };
        var b = new Metadata { { "x-api-key", await host.CreateKeyAsync(name: "b") } };
        AnalyzeRequest Request(string log) => new() { LogContent = log, ServiceName = "grpc-idem", Environment = "prod", RequestId = "g-1" };

        var mine = await client.AnalyzeAsync(Request(SecretLog), a);
        Assert.Equal(mine.AnalysisId, (await client.AnalyzeAsync(Request(SecretLog), a)).AnalysisId);
        var conflict = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(Request("ERROR other"), a));
        Assert.Equal(StatusCode.AlreadyExists, conflict.StatusCode);
        var theirs = await client.AnalyzeAsync(Request("ERROR other"), b);
        Assert.NotEqual(mine.AnalysisId, theirs.AnalysisId);
    }
}
