using Bifrost.Api.Keys;
using Bifrost.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Bifrost.Tests.Api;

/// <summary>bifrost.v1.Analysis over real HTTP/2 cleartext: unary, server streaming and bidirectional streaming.</summary>
public sealed class GrpcTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private GrpcChannel _channel = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartApiAsync(new() { ["api:stream_max_in_flight"] = "8", ["api:rate_limit_per_window"] = "0" }, grpc: true);
        _key = await _host.CreateKeyAsync();
        _channel = GrpcChannel.ForAddress(_host.Grpc!);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    private Metadata Auth(string? key = null) => new() { { "x-api-key", key ?? _key } };

    private static AnalyzeRequest Request(string service = "grpc-svc", string tag = "") => new()
    {
        LogContent = "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms",
        ServiceName = service,
        Environment = "prod",
        Priority = "high",
        ClientTag = tag,
    };

    [Fact]
    public async Task Analyze_ReturnsCompletedRecord()
    {
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(_channel);
        var record = await client.AnalyzeAsync(Request(), Auth());
        Assert.Equal("COMPLETED", record.Status);
        Assert.True(record.AnalysisId > 0);
        Assert.Equal("grpc", record.Source);
        Assert.False(string.IsNullOrEmpty(record.Result.Summary));
        Assert.Contains(record.Result.Severity, new[] { "LOW", "MEDIUM", "HIGH", "CRITICAL" });
        Assert.StartsWith("bifrost-builtin/", record.Model);
    }

    [Fact]
    public async Task Analyze_WithoutKey_IsUnauthenticated_ReadKey_IsPermissionDenied_Invalid_IsInvalidArgument()
    {
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(_channel);
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(Request()));
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(Request(), Auth(await _host.CreateKeyAsync(ApiKeyScopes.Read))));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var invalid = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(new AnalyzeRequest { ServiceName = "x", Environment = "prod", Priority = "urgent" }, Auth()));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("log_content: must not be empty", invalid.Status.Detail);
        Assert.Contains("priority", invalid.Status.Detail);
    }

    [Fact]
    public async Task Watch_StreamsStatusChangesOfAServicesAnalyses()
    {
        var service = "grpc-watch-" + Guid.NewGuid().ToString("N")[..6];
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(_channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = client.Watch(new WatchRequest { ServiceName = service }, Auth(), cancellationToken: cts.Token);
        await watch.ResponseHeadersAsync; // subscribed

        var record = await client.AnalyzeAsync(Request(service), Auth());
        var statuses = new List<string>();
        while (await watch.ResponseStream.MoveNext(cts.Token))
        {
            var e = watch.ResponseStream.Current;
            Assert.Equal(AnalysisEvent.KindOneofCase.Analysis, e.KindCase);
            Assert.Equal(record.AnalysisId, e.Analysis.AnalysisId);
            statuses.Add(e.Analysis.Status);
            if (e.Analysis.Status == "COMPLETED")
            {
                Assert.Equal(record.Result.Summary, e.Analysis.Result.Summary);
                break;
            }
        }

        Assert.Equal(["RECEIVED", "PROCESSING", "COMPLETED"], statuses);
    }

    [Fact]
    public async Task AnalyzeStream_AnswersEveryRequestByTag_WithBoundedInFlight()
    {
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(_channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = client.AnalyzeStream(Auth(), cancellationToken: cts.Token);
        const int count = 200;

        var reading = Task.Run(async () =>
        {
            var results = new List<AnalyzeStreamResult>();
            await foreach (var r in call.ResponseStream.ReadAllAsync(cts.Token)) results.Add(r);
            return results;
        });

        for (var i = 0; i < count; i++) await call.RequestStream.WriteAsync(Request("grpc-stream", $"t{i}"));
        await call.RequestStream.WriteAsync(new AnalyzeRequest { ServiceName = "grpc-stream", Environment = "prod", ClientTag = "bad" });
        await call.RequestStream.CompleteAsync();
        var results = await reading;

        Assert.Equal(count + 1, results.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"t{i}").Append("bad").Order(), results.Select(r => r.ClientTag).Order());
        Assert.All(results.Where(r => r.ClientTag != "bad"), r => Assert.Equal("COMPLETED", r.Analysis.Status));
        Assert.Equal(count, results.Where(r => r.ClientTag != "bad").Select(r => r.Analysis.AnalysisId).Distinct().Count());
        Assert.Contains("log_content", results.Single(r => r.ClientTag == "bad").Error);
    }

    [Fact]
    public async Task Reflection_ListsTheService()
    {
        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(_channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "bifrost.v1.Analysis");
    }
}
