using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Bifrost.Tests.Api;

/// <summary>A real WebSocket client for <c>/ws</c>: sends subscription messages, reads JSON messages.</summary>
internal sealed class LiveClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private LiveClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    public static async Task<LiveClient> ConnectAsync(TestHost host, string? key, bool viaQuery = false)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(host.Http) { Scheme = "ws", Path = "/ws" };
        if (key is not null && viaQuery) uri.Query = "api_key=" + Uri.EscapeDataString(key);
        else if (key is not null) socket.Options.SetRequestHeader("X-API-Key", key);
        await socket.ConnectAsync(uri.Uri, CancellationToken.None);
        return new LiveClient(socket);
    }

    /// <summary>The HTTP status a refused handshake answered with.</summary>
    public static async Task<int> HandshakeStatusAsync(TestHost host, string? key)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (key is not null) socket.Options.SetRequestHeader("X-API-Key", key);
        try
        {
            await socket.ConnectAsync(new UriBuilder(host.Http) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None);
            return (int)socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
    }

    public Task SendAsync(object message) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("server closed the socket");
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
    }

    /// <summary>Reads until a message matches; returns every message read (the match last).</summary>
    public async Task<List<JsonElement>> ReceiveUntilAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var seen = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no matching message among {seen.Count}: {string.Join('\n', seen.TakeLast(5))}");
            var m = await ReceiveAsync(left);
            seen.Add(m);
            if (match(m)) return seen;
        }
    }

    public void Abort() => _socket.Abort();

    /// <summary>Reads (and discards) messages until the server closes the socket; returns the close status it sent.</summary>
    public async Task<WebSocketCloseStatus?> WaitForServerCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return _socket.CloseStatus;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }

    public static bool IsAnalysis(JsonElement m, long id, string status) =>
        m.GetProperty("type").GetString() == "analysis"
        && m.GetProperty("analysis").GetProperty("analysis_id").GetInt64() == id
        && m.GetProperty("analysis").GetProperty("status").GetString() == status;
}
