using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bifrost.Tests.Notifications;

/// <summary>
/// A real HTTP endpoint for a notification channel (Kestrel on 127.0.0.1:0), standing where Slack, Teams, PagerDuty
/// or a customer's webhook would: every POST is recorded with its headers, raw body and the status it was answered
/// with. <see cref="Answer"/> decides the status (e.g. 500 for a while, then 200).
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private Receiver(WebApplication app) => _app = app;

    /// <summary>The status to answer the request with (default 200; Slack answers 200 "ok", PagerDuty 202).</summary>
    public Func<Received, int> Answer { get; set; } = _ => 200;

    /// <summary>Time spent before answering (to make deliveries overlap).</summary>
    public TimeSpan Delay { get; set; }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<Received> Requests => [.. _requests];

    /// <summary>Requests answered 2xx: what the channel accepted.</summary>
    public IReadOnlyList<Received> Accepted => [.. _requests.Where(r => r.Status is >= 200 and < 300)];

    public static async Task<Receiver> StartAsync(string path = "/hook")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost(path, receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + path);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new Received(DateTimeOffset.UtcNow, headers, buffer.ToArray(), 0);
        var status = Answer(received);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        _requests.Enqueue(received with { Status = status });
        _arrived.Release();
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(status < 300 ? "ok" : "invalid_token_or_busy");
    }

    /// <summary>Waits until <paramref name="count"/> requests matching <paramref name="match"/> (default: accepted ones) have arrived.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan timeout, Func<Received, bool>? match = null)
    {
        match ??= r => r.Status is >= 200 and < 300;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var matched = Requests.Where(match).ToList();
            if (matched.Count >= count)
            {
                return matched;
            }

            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"{Url}: {matched.Count} of {count} expected requests arrived in {timeout.TotalSeconds:0} s ({_requests.Count} in all)");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }
}

internal sealed record Received(DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Status)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode Json => JsonNode.Parse(Body)!;

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
