using System.Net.WebSockets;
using System.Text.Json;
using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Bifrost.Storage;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Live;

/// <summary>
/// <c>/ws</c>: live status changes. The client sends JSON messages
/// <c>{"type":"subscribe","analysis_id":42}</c>, <c>{"type":"subscribe","service":"payments"}</c>,
/// <c>{"type":"subscribe","all":true}</c> (and <c>"unsubscribe"</c> alike); the server sends
/// <c>{"type":"analysis","analysis":{...}}</c> for every change, <c>{"type":"dropped","count":n}</c> when it
/// had to drop older events for a slow client, and <c>{"type":"subscribed"|"error",...}</c> replies.
/// </summary>
public static partial class WebSocketApi
{
    private const int MaxClientMessageBytes = 4096;

    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder routes)
    {
        routes.Map("/ws", HandleAsync)
            .RequireAuthorization(Policies.Read)
            .RequireRateLimiting(RateLimits.PerKey)
            .WithSummary("WebSocket: subscribe to status changes of one analysis, a service, or everything")
            .ExcludeFromDescription();
        return routes;
    }

    public static async Task HandleAsync(HttpContext context, LiveHub hub, IAnalysisStore store, IOptions<ApiOptions> options, StreamAccess access, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required",
                detail: "connect to /ws with a WebSocket client (Upgrade: websocket)").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var logger = loggers.CreateLogger("Bifrost.Api.Live.WebSocket");
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var subscriber = new LiveSubscriber(options.Value.ClientBuffer, options.Value.MaxSubscriptions);
        using var registration = hub.Add(subscriber);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var sendLock = new SemaphoreSlim(1, 1);
        // The server stopping closes the connection too: otherwise an open dashboard holds shutdown for the host's
        // whole shutdown timeout (Kestrel waits for in-flight requests, and a WebSocket is one that never ends).
        using var onStopping = lifetime.ApplicationStopping.Register(() => _ = CloseAsync(socket, sendLock, done, WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        // A key revoked while the socket is open ends it (1008), as REST starts answering 401.
        using var authority = access.Open(context.User, done.Token);
        using var onRevoked = authority.Token.Register(() =>
        {
            if (authority.Revoked) _ = CloseAsync(socket, sendLock, done, WebSocketCloseStatus.PolicyViolation, "API key revoked");
        });

        var sending = SendLoopAsync(socket, subscriber, sendLock, done.Token);
        try
        {
            await ReceiveLoopAsync(socket, subscriber, store, sendLock, done.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogClientGone(logger, ex.Message);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            subscriber.Complete();
            try
            {
                await sending.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", closeTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Sends a close frame (1001 going away, 1008 key revoked); the client's answering close ends the receive loop normally.</summary>
    private static async Task CloseAsync(WebSocket socket, SemaphoreSlim sendLock, CancellationTokenSource done, WebSocketCloseStatus status, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                sendLock.Release();
            }

            // A client that does not answer the close within the grace period is cut off rather than holding shutdown.
            done.CancelAfter(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection already ended on its own.
        }
    }

    private static async Task ReceiveLoopAsync(WebSocket socket, LiveSubscriber subscriber, IAnalysisStore store, SemaphoreSlim sendLock, CancellationToken ct)
    {
        var buffer = new byte[MaxClientMessageBytes];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == buffer.Length)
                {
                    await SendAsync(socket, sendLock, new { type = "error", message = $"message too large (max {MaxClientMessageBytes} bytes)" }, ct).ConfigureAwait(false);
                    await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too large", ct).ConfigureAwait(false);
                    return;
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(count), ct).ConfigureAwait(false);
                count += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close) return;
            var (reply, snapshot) = await ApplyAsync(buffer.AsMemory(0, count), subscriber, store, ct).ConfigureAwait(false);
            await SendAsync(socket, sendLock, reply, ct).ConfigureAwait(false);
            if (snapshot is not null) subscriber.Enqueue(snapshot); // after the acknowledgement: current state first, then changes
        }
    }

    /// <summary>Applies one client message; returns the reply and, for a subscription to one analysis, its current state.</summary>
    internal static async Task<(object Reply, StoredAnalysis? Snapshot)> ApplyAsync(ReadOnlyMemory<byte> message, LiveSubscriber subscriber, IAnalysisStore store, CancellationToken ct)
    {
        ClientMessage? m;
        try
        {
            m = JsonSerializer.Deserialize<ClientMessage>(message.Span, ApiJson.Options);
        }
        catch (JsonException ex)
        {
            return (new { type = "error", message = $"not a JSON subscription message: {ex.Message}" }, null);
        }

        var on = m?.Type switch { "subscribe" => true, "unsubscribe" => false, _ => (bool?)null };
        if (m is null || on is null)
        {
            return (new { type = "error", message = "type must be \"subscribe\" or \"unsubscribe\"" }, null);
        }

        StoredAnalysis? snapshot = null;
        if (m.AnalysisId is { } id)
        {
            if (!subscriber.SubscribeAnalysis(id, on.Value)) return (TooMany(subscriber), null);
            if (on.Value) snapshot = await store.GetAsync(id, ct).ConfigureAwait(false);
        }
        else if (!string.IsNullOrWhiteSpace(m.Service))
        {
            if (!subscriber.SubscribeService(m.Service, on.Value)) return (TooMany(subscriber), null);
        }
        else if (m.All == true)
        {
            subscriber.SubscribeAll(on.Value);
        }
        else
        {
            return (new { type = "error", message = "give one of analysis_id, service or all:true" }, null);
        }

        return (new { type = on.Value ? "subscribed" : "unsubscribed", analysis_id = m.AnalysisId, service = m.Service, all = m.All }, snapshot);
    }

    private static object TooMany(LiveSubscriber subscriber) => new
    {
        type = "error",
        message = $"at most {subscriber.MaxSubscriptions} subscriptions per connection (api.max_subscriptions); unsubscribe from some, or subscribe to a service or all:true",
    };

    private static async Task SendLoopAsync(WebSocket socket, LiveSubscriber subscriber, SemaphoreSlim sendLock, CancellationToken ct)
    {
        while (await subscriber.ReadAsync(ct).ConfigureAwait(false) is { } item)
        {
            object message = item.Analysis is { } a
                ? new { type = "analysis", analysis = AnalysisView.From(a) }
                : new { type = "dropped", count = item.Dropped, message = $"{item.Dropped} older event(s) dropped: this client reads slower than analyses change" };
            byte[] bytes;
            try
            {
                bytes = JsonSerializer.SerializeToUtf8Bytes(message, ApiJson.Options);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
            {
                // One row that cannot be written must not end this client's feed (the loop used to die silently).
                bytes = JsonSerializer.SerializeToUtf8Bytes(new { type = "error", analysis_id = item.Analysis?.Id, message = "this analysis could not be serialised; read it with GET /api/v1/analysis/result/{id}" }, ApiJson.Options);
            }

            await SendBytesAsync(socket, sendLock, bytes, ct).ConfigureAwait(false);
        }
    }

    private static Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, object message, CancellationToken ct) =>
        SendBytesAsync(socket, sendLock, JsonSerializer.SerializeToUtf8Bytes(message, ApiJson.Options), ct);

    private static async Task SendBytesAsync(WebSocket socket, SemaphoreSlim sendLock, byte[] bytes, CancellationToken ct)
    {
        await sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private sealed record ClientMessage(string? Type, long? AnalysisId, string? Service, bool? All);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "WebSocket client disconnected: {Reason}")]
    private static partial void LogClientGone(ILogger logger, string reason);
}
