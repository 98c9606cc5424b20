using System.Net;
using System.Net.WebSockets;
using Bifrost.Api.Auth;
using Bifrost.Tests.Api;

namespace Bifrost.Tests.Security;

/// <summary>
/// Issue 14 #9: with <c>api.auth: auto</c> on loopback, any Host and any WebSocket Origin were trusted, so a web page
/// could read and write through DNS rebinding, and a proxy forwarding to 127.0.0.1 gave everyone keyless access.
/// </summary>
[Trait("Suite", "Hostile")]
public sealed class LoopbackAuthTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartApiAsync(new() { ["api:auth"] = "auto", ["api:rate_limit_per_window"] = "0" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(Action<HttpRequestMessage> shape)
    {
        using var client = _host.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/analyses");
        shape(request);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task LoopbackHost_IsServedWithoutAKey(string host)
    {
        using var response = await GetAsync(r => r.Headers.Host = $"{host}:{_host.Http.Port}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:8080")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.attacker.example")]
    public async Task ForeignHost_AsInDnsRebinding_Is401(string host)
    {
        using var response = await GetAsync(r => r.Headers.Host = host);
        var problem = await RestApiTests.AssertProblem(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Host", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("X-Real-IP", "203.0.113.9")]
    [InlineData("Via", "1.1 envoy")]
    public async Task RequestForwardedByAProxy_Is401(string header, string value)
    {
        using var response = await GetAsync(r => r.Headers.TryAddWithoutValidation(header, value));
        var problem = await RestApiTests.AssertProblem(response, HttpStatusCode.Unauthorized);
        Assert.Contains("proxy", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignOrigin_Is401_LoopbackOriginIsServed()
    {
        using var foreign = await GetAsync(r => r.Headers.TryAddWithoutValidation("Origin", "https://attacker.example"));
        await RestApiTests.AssertProblem(foreign, HttpStatusCode.Unauthorized);
        using var nullOrigin = await GetAsync(r => r.Headers.TryAddWithoutValidation("Origin", "null"));
        await RestApiTests.AssertProblem(nullOrigin, HttpStatusCode.Unauthorized);
        using var local = await GetAsync(r => r.Headers.TryAddWithoutValidation("Origin", $"http://localhost:{_host.Http.Port}"));
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }

    [Fact]
    public async Task WebSocket_FromAForeignPage_IsRefused_FromTheDashboardOrigin_IsServed()
    {
        Assert.Equal(401, await HandshakeAsync("https://attacker.example"));
        Assert.Equal(101, await HandshakeAsync($"http://127.0.0.1:{_host.Http.Port}"));
    }

    [Fact]
    public async Task AKeyStillWorks_FromAnywhere()
    {
        using var client = _host.Client(await _host.CreateKeyAsync());
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/analyses");
        request.Headers.Host = "bifrost.example";
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("http://localhost:5173", true)]
    [InlineData("https://127.0.0.1", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("null", false)]
    [InlineData("http://localhost.attacker.example", false)]
    [InlineData("file://", false)]
    public void LoopbackOrigins(string origin, bool loopback) => Assert.Equal(loopback, AuthMode.IsLoopbackOrigin(origin));

    private async Task<int> HandshakeAsync(string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        try
        {
            await socket.ConnectAsync(new UriBuilder(_host.Http) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        return (int)socket.HttpStatusCode;
    }
}
