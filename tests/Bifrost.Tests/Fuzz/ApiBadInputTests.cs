using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Bifrost.Tests.Api;
using CsCheck;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace Bifrost.Tests.Fuzz;

/// <summary>
/// Hostile input over REST and gRPC against the real host: mutated, damaged and random bodies, wrong content
/// types, oversized bodies, slow (slowloris-style) bodies. Every request gets a 2xx or a 4xx problem — never a
/// 5xx — and the host keeps serving.
/// </summary>
public sealed class ApiBadInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestHost _host = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0", ["api:max_request_bytes"] = "262144" }, grpc: true);
        _key = await _host.CreateKeyAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RestBodies_MutatedDamagedRandom_AlwaysAnsweredWithoutServerError()
    {
        using var client = _host.Client(_key);
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var tried = 0;
        var bodies = Gen.Frequency((3, FuzzInputs.MutatedRequest), (2, FuzzInputs.DamagedBytes), (1, FuzzInputs.RandomBytes), (1, FuzzInputs.DeepNesting));
        await bodies.SampleAsync(async body =>
        {
            Interlocked.Increment(ref tried);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync("/api/v1/analysis", content);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(200, body.Length)))}: {await response.Content.ReadAsStringAsync()}");
            if (!response.IsSuccessStatusCode)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }, iter: 400, threads: 1);
        output.WriteLine($"REST bodies: {tried} cases tried; statuses: {string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} ×{kv.Value}"))}");
        await AssertStillServingAsync(client);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task RestWrongContentType_Is4xxProblem(string contentType)
    {
        using var client = _host.Client(_key);
        using var content = new StringContent("{\"log_content\":\"ERROR x\",\"service_name\":\"s\",\"environment\":\"prod\"}", Encoding.UTF8, contentType);
        using var response = await client.PostAsync("/api/v1/analysis", content);
        Assert.InRange((int)response.StatusCode, 400, 499);
        await AssertStillServingAsync(client);
    }

    [Fact]
    public async Task RestOversizedBody_Is413Problem()
    {
        using var client = _host.Client(_key);
        var body = $"{{\"log_content\":\"{new string('x', 2 * 1024 * 1024)}\",\"service_name\":\"s\",\"environment\":\"prod\"}}";
        using var response = await client.PostAsync("/api/v1/analysis", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillServingAsync(client);
    }

    /// <summary>Slowloris on the body: a byte every second. Kestrel's MinRequestBodyDataRate (240 B/s after a 5 s grace) must cut it.</summary>
    [Fact]
    public async Task RestSlowBody_IsCutByKestrel_AndTheHostKeepsServing()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_host.Http.Host, _host.Http.Port);
        var head = $"POST /api/v1/analysis HTTP/1.1\r\nHost: {_host.Http.Authority}\r\nX-API-Key: {_key}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        var cut = false;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 60 && !cut; i++)
        {
            try
            {
                await socket.SendAsync("x"u8.ToArray());
                await Task.Delay(1000);
                cut = socket.Poll(0, SelectMode.SelectRead); // readable: a response or the close arrived
            }
            catch (SocketException)
            {
                cut = true;
            }
        }

        output.WriteLine($"slow body cut after {clock.Elapsed.TotalSeconds:0} s");
        Assert.True(cut, "Kestrel kept a 1 byte/s body open for a minute");
        using var client = _host.Client(_key);
        await AssertStillServingAsync(client);
    }

    [Fact]
    public async Task GrpcHostileFields_AlwaysAStatusNeverInternal()
    {
        using var channel = GrpcChannel.ForAddress(_host.Grpc!, new GrpcChannelOptions { MaxSendMessageSize = null });
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);
        var auth = new Metadata { { "x-api-key", _key } };
        var codes = new System.Collections.Concurrent.ConcurrentDictionary<StatusCode, int>();
        var tried = 0;
        // Mostly-valid fields around a hostile excerpt, plus fully random ones, so both the accept and the reject paths run.
        var service = Gen.Frequency((3, Gen.OneOfConst("checkout", "payments", "svc-1")), (1, FuzzInputs.AnyString));
        var priority = Gen.Frequency((3, Gen.OneOfConst("", "low", "NORMAL", "High", "critical")), (1, FuzzInputs.AnyString));
        var requests = Gen.Select(Gen.OneOf(FuzzInputs.AnyString, FuzzInputs.Excerpt), service, priority, FuzzInputs.AnyString, Gen.Long,
            (log, service, priority, id, logId) => new Bifrost.Api.V1.AnalyzeRequest { LogContent = log, ServiceName = service, Environment = "prod", Priority = priority, RequestId = id, LogId = logId });
        await requests.SampleAsync(async request =>
        {
            Interlocked.Increment(ref tried);
            var code = StatusCode.OK;
            try
            {
                await client.AnalyzeAsync(request, auth);
            }
            catch (RpcException ex)
            {
                code = ex.StatusCode;
            }

            codes.AddOrUpdate(code, 1, (_, n) => n + 1);
            if (code is not (StatusCode.OK or StatusCode.InvalidArgument or StatusCode.ResourceExhausted or StatusCode.AlreadyExists or StatusCode.FailedPrecondition))
            {
                Assert.Fail($"{code} for a request with log_content of {request.LogContent.Length} chars, service_name {request.ServiceName.Length}, priority {request.Priority.Length}");
            }
        }, iter: 300, threads: 1);

        // Larger than the server's limits (gRPC's 4 MB receive limit, Kestrel's api.max_request_bytes): refused, however
        // the refusal is spelled (ResourceExhausted from gRPC, or the stream reset by Kestrel), and the host keeps serving.
        var oversized = Assert.Throws<RpcException>(() => client.Analyze(new Bifrost.Api.V1.AnalyzeRequest { LogContent = new string('x', 5 * 1024 * 1024), ServiceName = "s", Environment = "prod" }, auth));
        Assert.NotEqual(StatusCode.OK, oversized.StatusCode);
        output.WriteLine($"gRPC requests: {tried + 1} cases tried; status codes: {string.Join(", ", codes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} ×{kv.Value}"))}, oversized → {oversized.StatusCode} ({oversized.Status.Detail})");
        await client.AnalyzeAsync(new Bifrost.Api.V1.AnalyzeRequest { LogContent = "ERROR Connection refused: db:5432", ServiceName = "s", Environment = "prod" }, auth);
    }

    [Fact]
    public async Task GrpcMalformedFrame_IsRefused_AndTheHostKeepsServing()
    {
        using var http = new HttpClient { BaseAddress = _host.Grpc, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        byte[] frame = [0, 0, 0, 0, 12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A, 0xFF, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06];
        using var content = new ByteArrayContent(frame);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/bifrost.v1.Analysis/Analyze") { Content = content };
        request.Headers.Add("x-api-key", _key);
        request.Headers.TE.ParseAdd("trailers");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.Single()
            : response.Headers.TryGetValues("grpc-status", out var h) ? h.Single() : null;
        output.WriteLine($"malformed gRPC frame → HTTP {(int)response.StatusCode}, grpc-status {status ?? "(none)"}");
        // Refused either at the HTTP layer (4xx) or by gRPC with a non-OK status; never a 5xx, never OK.
        Assert.True((int)response.StatusCode is >= 400 and < 500 || (response.IsSuccessStatusCode && status is not null and not "0"), $"HTTP {(int)response.StatusCode}, grpc-status {status}");
        using var client = _host.Client(_key);
        await AssertStillServingAsync(client);
    }

    private static async Task AssertStillServingAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/v1/analysis", new StringContent("{\"log_content\":\"ERROR Connection refused: db:5432\",\"service_name\":\"s\",\"environment\":\"prod\"}", Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"the host stopped serving: {(int)response.StatusCode}");
    }
}
