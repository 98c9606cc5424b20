using System.Net;
using Bifrost.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Bifrost.Tests.Api;

/// <summary>Per-key rate limits over real connections: 429 problem details with Retry-After, per key.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "3", ["api:rate_limit_window_seconds"] = "120" }, grpc: true);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FourthRequestInTheWindow_Is429WithRetryAfter_OtherKeysUnaffected()
    {
        using var first = _host.Client(await _host.CreateKeyAsync(name: "first"));
        for (var i = 0; i < 3; i++)
        {
            using var ok = await first.GetAsync("/api/v1/analyses");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await first.GetAsync("/api/v1/analyses");
        var problem = await RestApiTests.AssertProblem(limited, HttpStatusCode.TooManyRequests);
        Assert.Contains("rate limit", problem.GetProperty("detail").GetString());
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 120);

        using var second = _host.Client(await _host.CreateKeyAsync(name: "second"));
        using var other = await second.GetAsync("/api/v1/analyses");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // Health is not rate limited.
        using var health = await first.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task GrpcCallsCountAgainstTheSameKey_AndAreRejectedAsResourceExhausted()
    {
        var key = await _host.CreateKeyAsync(name: "grpc");
        using var channel = GrpcChannel.ForAddress(_host.Grpc!);
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);
        var auth = new Metadata { { "x-api-key", key } };
        var request = new AnalyzeRequest { LogContent = "disk full", ServiceName = "rl", Environment = "dev" };
        for (var i = 0; i < 3; i++) await client.AnalyzeAsync(request, auth);
        var rejected = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(request, auth));
        Assert.Equal(StatusCode.ResourceExhausted, rejected.StatusCode); // a gRPC status, not HTTP 429 (which clients see as UNAVAILABLE)
        Assert.Contains("retry after", rejected.Status.Detail, StringComparison.Ordinal);
    }
}
