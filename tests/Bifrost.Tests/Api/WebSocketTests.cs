using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Bifrost.Api.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Api;

/// <summary>/ws over real WebSocket connections: auth, subscriptions, concurrency, disconnects, slow clients.</summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        // A small per-client buffer so the slow-client test overflows it quickly.
        _host = await TestHost.StartApiAsync(new() { ["api:client_buffer"] = "16", ["api:rate_limit_per_window"] = "0" });
        _key = await _host.CreateKeyAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ServerStopping_ClosesOpenSockets_InsteadOfHoldingShutdown()
    {
        // Regression: an open /ws (e.g. a dashboard tab) kept the host from stopping until its 30 s shutdown timeout.
        var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" });
        await using var _ = host;
        var ws = await LiveClient.ConnectAsync(host, await host.CreateKeyAsync());
        await using var __ = ws;
        await ws.SendAsync(new { type = "subscribe", all = true });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());

        var closing = ws.WaitForServerCloseAsync(TimeSpan.FromSeconds(20));
        var stopping = host.StopAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await closing);
        var finished = await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.Same(stopping, finished);
    }

    [Fact]
    public async Task Handshake_WithoutOrWithBadKey_Is401()
    {
        Assert.Equal(401, await LiveClient.HandshakeStatusAsync(_host, null));
        Assert.Equal(401, await LiveClient.HandshakeStatusAsync(_host, "bfk_not-a-key"));
    }

    [Fact]
    public async Task SubscriberToOneAnalysis_SeesItsStatusChangesThroughCompleted()
    {
        await using var ws = await LiveClient.ConnectAsync(_host, _key, viaQuery: true);
        using var client = _host.Client(_key);
        using var accepted = await client.PostAsync("/api/v1/analysis/request", Requests.Body(service: "ws-one"));
        var id = (await RestApiTests.Json(accepted)).GetProperty("analysis_id").GetInt64();

        await ws.SendAsync(new { type = "subscribe", analysis_id = id });
        var seen = await ws.ReceiveUntilAsync(m => LiveClient.IsAnalysis(m, id, "COMPLETED"));
        // The acknowledgement and the events travel independently: it may come before or after them.
        if (!seen.Any(m => m.GetProperty("type").GetString() == "subscribed")) seen.Insert(0, await ws.ReceiveAsync());
        Assert.Equal("subscribed", seen.First(m => m.GetProperty("type").GetString() != "analysis").GetProperty("type").GetString());
        var completed = seen[^1].GetProperty("analysis");
        Assert.False(string.IsNullOrEmpty(completed.GetProperty("result").GetProperty("summary").GetString()));
        Assert.DoesNotContain(seen, m => m.GetProperty("type").GetString() == "analysis" && m.GetProperty("analysis").GetProperty("analysis_id").GetInt64() != id);
    }

    [Fact]
    public async Task QueuedSubmission_IsSeenOnceInEachStatus()
    {
        var service = "ws-queued-" + Guid.NewGuid().ToString("N")[..6];
        await using var ws = await LiveClient.ConnectAsync(_host, _key);
        await ws.SendAsync(new { type = "subscribe", service });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());

        using var client = _host.Client(_key);
        using var accepted = await client.PostAsync("/api/v1/analysis/request", Requests.Body(service: service));
        var id = (await RestApiTests.Json(accepted)).GetProperty("analysis_id").GetInt64();

        var seen = await ws.ReceiveUntilAsync(m => LiveClient.IsAnalysis(m, id, "COMPLETED"));
        var statuses = seen.Where(m => m.GetProperty("type").GetString() == "analysis").Select(m => m.GetProperty("analysis").GetProperty("status").GetString()).ToList();
        Assert.Equal(["RECEIVED", "PROCESSING", "COMPLETED"], statuses);
    }

    [Fact]
    public async Task ConcurrentSubscribers_EachGetTheirScope()
    {
        var service = "ws-many-" + Guid.NewGuid().ToString("N")[..6];
        var everything = new List<LiveClient>();
        var byService = new List<LiveClient>();
        for (var i = 0; i < 4; i++)
        {
            var all = await LiveClient.ConnectAsync(_host, _key);
            await all.SendAsync(new { type = "subscribe", all = true });
            everything.Add(all);
            var one = await LiveClient.ConnectAsync(_host, _key);
            await one.SendAsync(new { type = "subscribe", service });
            byService.Add(one);
        }

        await using var other = await LiveClient.ConnectAsync(_host, _key);
        await other.SendAsync(new { type = "subscribe", service = "some-other-service" });
        foreach (var c in everything.Concat(byService).Append(other)) Assert.Equal("subscribed", (await c.ReceiveAsync()).GetProperty("type").GetString());

        using var client = _host.Client(_key);
        using var response = await client.PostAsync("/api/v1/analysis", Requests.Body(service: service));
        var id = (await RestApiTests.Json(response)).GetProperty("analysis_id").GetInt64();

        await Task.WhenAll(everything.Concat(byService).Select(async c =>
        {
            var seen = await c.ReceiveUntilAsync(m => LiveClient.IsAnalysis(m, id, "COMPLETED"));
            var statuses = seen.Where(m => m.GetProperty("type").GetString() == "analysis" && m.GetProperty("analysis").GetProperty("analysis_id").GetInt64() == id)
                .Select(m => m.GetProperty("analysis").GetProperty("status").GetString()).ToList();
            Assert.Equal(["RECEIVED", "PROCESSING", "COMPLETED"], statuses);
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => other.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        foreach (var c in everything.Concat(byService)) await c.DisposeAsync();
    }

    [Fact]
    public async Task BadMessages_GetErrorReplies_AndTheConnectionStaysUsable()
    {
        await using var ws = await LiveClient.ConnectAsync(_host, _key);
        await ws.SendAsync(new { type = "dance" });
        Assert.Equal("error", (await ws.ReceiveAsync()).GetProperty("type").GetString());
        await ws.SendAsync(new { type = "subscribe" });
        Assert.Equal("error", (await ws.ReceiveAsync()).GetProperty("type").GetString());
        await ws.SendAsync(new { type = "subscribe", all = true });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Disconnects_RemoveTheSubscriber_AndAnalysesGoOn()
    {
        var hub = _host.Services.GetRequiredService<LiveHub>();
        var before = hub.Count;
        var abrupt = await LiveClient.ConnectAsync(_host, _key);
        await abrupt.SendAsync(new { type = "subscribe", all = true });
        await abrupt.ReceiveAsync();
        var polite = await LiveClient.ConnectAsync(_host, _key);
        await polite.SendAsync(new { type = "subscribe", all = true });
        await polite.ReceiveAsync();
        Assert.Equal(before + 2, hub.Count);

        abrupt.Abort();
        await polite.DisposeAsync();
        await abrupt.DisposeAsync();
        for (var i = 0; i < 100 && hub.Count != before; i++) await Task.Delay(50);
        Assert.Equal(before, hub.Count);

        using var client = _host.Client(_key);
        using var response = await client.PostAsync("/api/v1/analysis", Requests.Body());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SlowClient_LosesOldestEventsWithNotice_AndDoesNotSlowThePipeline()
    {
        var service = "ws-slow-" + Guid.NewGuid().ToString("N")[..6];
        await using var slow = await LiveClient.ConnectAsync(_host, _key);
        await slow.SendAsync(new { type = "subscribe", service });
        Assert.Equal("subscribed", (await slow.ReceiveAsync()).GetProperty("type").GetString());

        // 300 analyses × 3 events × ~16 KiB of metadata each: far more than socket buffers plus the 16-event
        // client buffer hold, while this client reads nothing.
        var metadata = new { blob = new string('m', 16_000) };
        using var client = _host.Client(_key);
        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var r = await client.PostAsJsonAsync("/api/v1/analysis", Requests.Body(service: service, metadata: metadata), ct);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        });

        // Every analysis finished although the subscriber never read.
        using var stats = await client.GetAsync($"/api/v1/analyses?service={service}&status=COMPLETED&limit=500");
        Assert.Equal(300, (await RestApiTests.Json(stats)).GetProperty("items").GetArrayLength());

        // Now read everything: every event was either delivered or counted in a drop notice, none lost silently.
        long delivered = 0, dropped = 0, notices = 0;
        while (true)
        {
            JsonElement m;
            try
            {
                m = await slow.ReceiveAsync(TimeSpan.FromSeconds(2));
            }
            catch (OperationCanceledException)
            {
                break; // idle: the buffer is drained
            }

            switch (m.GetProperty("type").GetString())
            {
                case "analysis":
                    delivered++;
                    break;
                case "dropped":
                    notices++;
                    dropped += m.GetProperty("count").GetInt64();
                    Assert.Contains("dropped", m.GetProperty("message").GetString());
                    break;
            }
        }

        Assert.True(notices > 0 && dropped > 0, $"no drop notice (delivered {delivered})");
        // At least RECEIVED, PROCESSING, COMPLETED per analysis (a retried attempt adds a PROCESSING event).
        Assert.InRange(delivered + dropped, 300 * 3, 300 * 4);
    }
}
