using System.Net.WebSockets;
using Bifrost.Api.Keys;
using Bifrost.Api.V1;
using Bifrost.Tests.Api;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Security;

/// <summary>
/// Issue 14 #5, #6 and the gRPC statuses: one AnalyzeStream ran 60 analyses under a limit of 5 per 20 s; a WebSocket
/// and a gRPC Watch opened before <c>bifrost keys revoke</c> kept delivering after REST answered 401; gRPC auth and
/// limit failures came back as bare HTTP statuses.
/// </summary>
[Trait("Suite", "Hostile")]
public sealed class StreamAuthorityTests
{
    private static AnalyzeRequest Request(string tag = "") => new()
    {
        LogContent = "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms",
        ServiceName = "stream-limit",
        Environment = "prod",
        ClientTag = tag,
    };

    [Fact]
    public async Task AnalyzeStream_MessagesCountAgainstTheCallersRateLimit()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "5", ["api:rate_limit_window_seconds"] = "600" }, grpc: true);
        using var channel = GrpcChannel.ForAddress(host.Grpc!);
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);
        var auth = new Metadata { { "x-api-key", await host.CreateKeyAsync() } };

        using var call = client.AnalyzeStream(auth);
        var reading = Task.Run(async () =>
        {
            var results = new List<AnalyzeStreamResult>();
            try
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None)) results.Add(call.ResponseStream.Current);
                return (results, (RpcException?)null);
            }
            catch (RpcException ex)
            {
                return (results, ex);
            }
        });
        try
        {
            for (var i = 0; i < 60; i++) await call.RequestStream.WriteAsync(Request("m" + i));
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // The server ended the call while we were still sending: what it answered is checked below.
        }

        var (analysed, ended) = await reading;
        Assert.Equal(5, analysed.Count(r => r.Analysis is not null));
        Assert.NotNull(ended);
        Assert.Equal(StatusCode.ResourceExhausted, ended.StatusCode);
        Assert.Contains("rate limit", ended.Status.Detail, StringComparison.Ordinal);

        // The bucket is the caller's: the next unary call is refused too, as a gRPC status.
        var next = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(Request(), auth));
        Assert.Equal(StatusCode.ResourceExhausted, next.StatusCode);
    }

    [Fact]
    public async Task GrpcAuthFailures_AreGrpcStatuses()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" }, grpc: true);
        using var channel = GrpcChannel.ForAddress(host.Grpc!);
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);

        var noKey = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(Request()));
        Assert.Equal(StatusCode.Unauthenticated, noKey.StatusCode);
        Assert.Contains("API key", noKey.Status.Detail, StringComparison.Ordinal);

        var badKey = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(Request(), new Metadata { { "x-api-key", ApiKeySecret.NewKey() } }));
        Assert.Equal(StatusCode.Unauthenticated, badKey.StatusCode);

        var readOnly = new Metadata { { "x-api-key", await host.CreateKeyAsync(ApiKeyScopes.Read) } };
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(Request(), readOnly));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("scope", denied.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingAKey_ClosesItsOpenWebSocket()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" });
        var (record, key) = await host.Services.GetRequiredService<ApiKeyStore>().CreateAsync("ws-revoked", ApiKeyScopes.Read, DateTimeOffset.UtcNow, default);
        await using var ws = await LiveClient.ConnectAsync(host, key);
        await ws.SendAsync(new { type = "subscribe", all = true });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());

        var closed = ws.WaitForServerCloseAsync(TimeSpan.FromSeconds(30));
        await host.Services.GetRequiredService<ApiKeyStore>().RevokeAsync(record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow, default);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await closed);
    }

    [Fact]
    public async Task RevokingAKey_EndsItsOpenGrpcWatch_WithUnauthenticated()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" }, grpc: true);
        var keys = host.Services.GetRequiredService<ApiKeyStore>();
        var (record, key) = await keys.CreateAsync("watch-revoked", ApiKeyScopes.Read, DateTimeOffset.UtcNow, default);
        using var channel = GrpcChannel.ForAddress(host.Grpc!);
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = client.Watch(new WatchRequest { All = true }, new Metadata { { "x-api-key", key } }, cancellationToken: cts.Token);
        await watch.ResponseHeadersAsync;

        await keys.RevokeAsync(record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow, default);
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(cts.Token))
            {
            }
        });
        Assert.Equal(StatusCode.Unauthenticated, ended.StatusCode);
        Assert.Contains("revoked", ended.Status.Detail, StringComparison.Ordinal);
    }
}
