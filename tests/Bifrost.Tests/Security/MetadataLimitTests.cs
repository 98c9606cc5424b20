using System.Net;
using System.Text;
using System.Text.Json;
using Bifrost.Api.V1;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Bifrost.Tests.Api;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Security;

/// <summary>
/// Issue 14 #1: metadata nested 61–63 levels was stored, then every list, pattern and result read answered 500 for
/// everyone and WebSocket subscribers silently stopped. Now such a request is refused with a reason, and a row that
/// is already stored that deep (by an older version or another writer) is shown with a note instead of breaking reads.
/// </summary>
[Trait("Suite", "Hostile")]
public sealed class MetadataLimitTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" }, grpc: true);
        _key = await _host.CreateKeyAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(17)]
    [InlineData(62)]
    [InlineData(63)]
    public async Task DeepMetadata_Is400NamingTheLimit_AndNothingIsStored(int depth)
    {
        using var client = _host.Client(_key);
        var body = $$"""{"log_content":"ERROR x","service_name":"deep","environment":"prod","metadata":{{HostileInputs.NestedObject(depth)}}}""";
        foreach (var path in new[] { "/api/v1/analysis", "/api/v1/analysis/request" })
        {
            using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await RestApiTests.AssertProblem(response, HttpStatusCode.BadRequest);
            var reason = problem.GetProperty("errors").GetProperty("metadata")[0].GetString()!;
            Assert.Contains("nested", reason, StringComparison.Ordinal);
            Assert.Contains(MetadataLimits.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), reason, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await RestApiTests.Json(await client.GetAsync("/api/v1/analyses"))).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task MetadataAtTheLimit_IsAccepted()
    {
        using var client = _host.Client(_key);
        var body = $$"""{"log_content":"ERROR x","service_name":"deep-ok","environment":"prod","metadata":{{HostileInputs.NestedObject(MetadataLimits.MaxDepth)}}}""";
        using var response = await client.PostAsync("/api/v1/analysis", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OversizedMetadata_Is400_OverGrpcInvalidArgument()
    {
        using var channel = GrpcChannel.ForAddress(_host.Grpc!);
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);
        var request = new AnalyzeRequest { LogContent = "ERROR x", ServiceName = "meta", Environment = "prod" };
        for (var i = 0; i < MetadataLimits.MaxValues + 10; i++) request.Metadata.Add("k" + i, "v");
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.AnalyzeAsync(request, new Metadata { { "x-api-key", _key } }));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("metadata", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoredRowTooDeepToWrite_DoesNotBreakListsPatternsResultsOrTheFeed()
    {
        var key = _key;
        await using var ws = await LiveClient.ConnectAsync(_host, key);
        await ws.SendAsync(new { type = "subscribe", all = true });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());

        // Written past the boundary, as an older version (or another writer) could have.
        var store = _host.Services.GetRequiredService<IAnalysisStore>();
        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var bad = await store.GetOrCreateAsync(new NewAnalysis("deep-row", "deep-row", 1, "legacy", "prod", "NORMAL", "error", "analysis.result",
            HostileInputs.NestedObject(62), "ERROR x", AnalysisSources.Kafka, now, now), AnalysisStatus.RECEIVED, default);
        _host.Services.GetRequiredService<IAnalysisEvents>().Publish(bad.Analysis);

        using var client = _host.Client(key);
        foreach (var path in new[] { "/api/v1/analyses", "/api/v1/patterns", $"/api/v1/analysis/result/{bad.Analysis.Id}" })
        {
            using var read = await client.GetAsync(path);
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{path}: {(int)read.StatusCode} {await read.Content.ReadAsStringAsync()}");
        }

        var shown = (await RestApiTests.Json(await client.GetAsync($"/api/v1/analysis/result/{bad.Analysis.Id}"))).GetProperty("request").GetProperty("metadata");
        Assert.True(shown.TryGetProperty("bifrost_unreadable_metadata", out _));

        // The feed goes on: the bad row arrives (with the note), and so does the next analysis.
        using var next = await client.PostAsync("/api/v1/analysis", Requests.Body(service: "after-bad-row"));
        var nextId = (await RestApiTests.Json(next)).GetProperty("analysis_id").GetInt64();
        var seen = await ws.ReceiveUntilAsync(m => LiveClient.IsAnalysis(m, nextId, "COMPLETED"));
        Assert.Contains(seen, m => m.GetProperty("type").GetString() == "analysis" && m.GetProperty("analysis").GetProperty("analysis_id").GetInt64() == bad.Analysis.Id);
    }

    [Fact]
    public void Boundary_StoresANote_WhenAChannelLetTooDeepMetadataThrough()
    {
        var admitted = SubmissionBoundary.Admit(new AnalysisSubmission("r", "c", 1, "ERROR x", "s", "prod", MetadataJson: HostileInputs.NestedObject(80)));
        var metadata = JsonDocument.Parse(admitted.MetadataJson).RootElement;
        Assert.Contains("nested", metadata.GetProperty("bifrost_dropped_metadata").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void KafkaParser_RefusesDeepMetadata_WithTheReason()
    {
        var parser = new Bifrost.Messaging.RequestParser(1 << 20, new HashSet<string>(StringComparer.Ordinal) { "analysis.result" }, "analysis.result");
        var bytes = Encoding.UTF8.GetBytes($$"""{"request_id":"r","correlation_id":"c","log_id":1,"log_content":"ERROR x","service_name":"s","environment":"prod","metadata":{{HostileInputs.NestedObject(62)}}}""");
        var parsed = parser.Parse(bytes);
        Assert.Null(parsed.Request);
        var rejection = Assert.IsType<Bifrost.Messaging.RequestRejection>(parsed.Rejection);
        Assert.Contains("nested", rejection.Message, StringComparison.Ordinal);
        Assert.Equal("r", rejection.RequestId);
    }
}
