using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bifrost.FakeLlm;

/// <summary>
/// Kestrel on 127.0.0.1:0 answering Ollama <c>POST /api/chat</c> (streamed NDJSON or a single object, as the request's
/// <c>stream</c> asks) and OpenAI <c>POST /v1/chat/completions</c>, with each request captured for assertions.
/// <see cref="Responder"/> decides the reply: good JSON, prose, broken JSON, a hang, 500, 429 + Retry-After.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<CapturedRequest> requests = new();
    private int callCount;

    private FakeLlmServer(WebApplication app, Func<CapturedRequest, FakeReply> responder)
    {
        this.app = app;
        Responder = responder;
    }

    /// <summary>Decides each reply; swap it between phases of a test (e.g. outage, then recovery).</summary>
    public Func<CapturedRequest, FakeReply> Responder { get; set; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>What an OpenAI-compatible client is configured with (<c>…/v1</c>).</summary>
    public string OpenAiBaseUrl => new Uri(BaseUrl, "v1").ToString();

    public int CallCount => Volatile.Read(ref callCount);

    public IReadOnlyList<CapturedRequest> Requests => [.. requests];

    public static async Task<FakeLlmServer> StartAsync(Func<CapturedRequest, FakeReply>? responder = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new FakeLlmServer(app, responder ?? FakeModel.Answer);
        app.MapPost("/api/chat", ctx => server.HandleAsync(ctx, "ollama"));
        app.MapPost("/v1/chat/completions", ctx => server.HandleAsync(ctx, "openai"));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>A loopback port with nothing listening: connecting to it is refused at once.</summary>
    public static Uri ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private async Task HandleAsync(HttpContext context, string protocol)
    {
        Interlocked.Increment(ref callCount);
        using var reader = new StreamReader(context.Request.Body);
        var raw = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var request = new CapturedRequest(protocol, context.Request.Path, raw, context.Request.Headers.Authorization.FirstOrDefault());
        requests.Enqueue(request);

        var reply = Responder(request);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        try
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, cancel.Token).ConfigureAwait(false);
            }

            switch (reply)
            {
                case FakeReply.Hang:
                    await Task.Delay(Timeout.Infinite, cancel.Token).ConfigureAwait(false);
                    break;
                case FakeReply.Failure error:
                    await WriteErrorAsync(context, protocol, error).ConfigureAwait(false);
                    break;
                case FakeReply.Content content when protocol == "ollama":
                    await WriteOllamaAsync(context, request, content.Body).ConfigureAwait(false);
                    break;
                case FakeReply.Content content:
                    await WriteOpenAiAsync(context, request, content.Body).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            // the client gave up (its deadline) or the server is stopping
        }
    }

    private static Task WriteErrorAsync(HttpContext context, string protocol, FakeReply.Failure error)
    {
        context.Response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        object body = protocol == "ollama"
            ? new { error = error.Message }
            : new { error = new { message = error.Message, type = error.Status == 429 ? "rate_limit_exceeded" : "server_error", param = (string?)null, code = (string?)null } };
        return context.Response.WriteAsJsonAsync(body);
    }

    private static async Task WriteOllamaAsync(HttpContext context, CapturedRequest request, string text)
    {
        var model = request.Model;
        var created = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var promptTokens = EstimateTokens(request.RawBody);
        var evalTokens = EstimateTokens(text);
        var done = new Dictionary<string, object?>
        {
            ["model"] = model,
            ["created_at"] = created,
            ["message"] = new { role = "assistant", content = "" },
            ["done_reason"] = "stop",
            ["done"] = true,
            ["total_duration"] = 1_500_000_000L,
            ["load_duration"] = 20_000_000L,
            ["prompt_eval_count"] = promptTokens,
            ["prompt_eval_duration"] = 300_000_000L,
            ["eval_count"] = evalTokens,
            ["eval_duration"] = 1_100_000_000L,
        };

        // Ollama streams NDJSON unless the request says "stream": false.
        var stream = !request.Body.TryGetProperty("stream", out var s) || s.ValueKind != JsonValueKind.False;
        if (!stream)
        {
            done["message"] = new { role = "assistant", content = text };
            await context.Response.WriteAsJsonAsync(done).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        foreach (var chunk in Chunks(text, 24))
        {
            var line = JsonSerializer.Serialize(new { model, created_at = created, message = new { role = "assistant", content = chunk }, done = false });
            await context.Response.WriteAsync(line + "\n").ConfigureAwait(false);
        }

        await context.Response.WriteAsync(JsonSerializer.Serialize(done) + "\n").ConfigureAwait(false);
    }

    private static Task WriteOpenAiAsync(HttpContext context, CapturedRequest request, string text)
    {
        var promptTokens = EstimateTokens(request.RawBody);
        var completionTokens = EstimateTokens(text);
        return context.Response.WriteAsJsonAsync(new
        {
            id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24],
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = request.Model,
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = text, refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" },
            },
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
            system_fingerprint = "fp_fake",
        });
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    private static int EstimateTokens(string text) => Math.Max(1, text.Length / 4);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }
}
