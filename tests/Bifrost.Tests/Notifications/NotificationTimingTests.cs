using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bifrost.Tests.Notifications;

/// <summary>
/// Notification behaviour over minutes and hours of clock time, with the host's clock replaced by a fake one that
/// the test moves forward (the receiver's "down for 30 s" is judged by the same clock): backoff through an outage,
/// quiet hours, the rate limit's digest. The embedded SQLite store, analyses through the REST API.
/// </summary>
public sealed class NotificationTimingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-26T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"bifrost-notify-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(T0);
    private Receiver _receiver = null!;
    private readonly List<(DateTimeOffset At, int Status)> _answers = [];

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_db + suffix);
        }
    }

    private Task<TestHost> StartAsync(Action<Dictionary<string, string>> channel)
    {
        var env = new Dictionary<string, string> { ["DATABASE_URL"] = "sqlite:" + _db, ["LOG_LEVEL"] = "warning", ["api__grpc_port"] = "0" }
            .WithChannels(("ops", "webhook", _receiver));
        env["notify__poll_interval_seconds"] = "0.05";
        channel(env);
        return TestHost.StartAsync(env, services => services.AddSingleton<TimeProvider>(_clock));
    }

    private static async Task AnalyzeAsync(HttpClient http, string service)
    {
        var response = await http.PostAsJsonAsync("/api/v1/analysis", new { log_content = "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms.", service_name = service, environment = "prod" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Moves the clock in one-second steps (real time passing between them) until <paramref name="done"/> or <paramref name="until"/>.</summary>
    private async Task AdvanceAsync(DateTimeOffset until, Func<bool>? done = null)
    {
        while (_clock.GetUtcNow() < until && done?.Invoke() != true)
        {
            await Task.Delay(40);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task ReceiverDownFor30Seconds_RetriedWithBackoff_GetsTheMessageOnce_AfterTheWindow()
    {
        _receiver.Answer = _ =>
        {
            var status = _clock.GetUtcNow() < T0.AddSeconds(30) ? 500 : 200;
            lock (_answers)
            {
                _answers.Add((_clock.GetUtcNow(), status));
            }

            return status;
        };
        await using var bifrost = await StartAsync(env =>
        {
            env["notify__retry__initial_seconds"] = "5"; // production-like backoff: 5, 10, 20 s …
            env["notify__retry__max_seconds"] = "60";
        });
        using var http = new HttpClient { BaseAddress = NotificationTestHost.BaseUrl(bifrost.Services) };
        await AnalyzeAsync(http, "orders");
        await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(30), r => r.Status == 500);

        await AdvanceAsync(T0.AddMinutes(3), () => _receiver.Accepted.Count > 0);
        var delivered = Assert.Single(await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        await AdvanceAsync(_clock.GetUtcNow().AddMinutes(2)); // two more minutes: no second delivery
        await Task.Delay(300);

        Assert.Single(_receiver.Accepted);
        List<(DateTimeOffset At, int Status)> answers;
        lock (_answers)
        {
            answers = [.. _answers];
        }

        var failures = answers.Where(a => a.Status == 500).ToList();
        Assert.True(failures.Count >= 3, $"{failures.Count} failed attempts");
        Assert.All(failures, f => Assert.True(f.At < T0.AddSeconds(30)));
        var gaps = failures.Zip(failures.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.All(gaps.Zip(gaps.Skip(1)), pair => Assert.True(pair.Second >= pair.First, "backoff does not shrink"));
        Assert.InRange(answers.Single(a => a.Status == 200).At, T0.AddSeconds(30), T0.AddSeconds(30 + 60 + 5));
        Assert.All(_receiver.Requests, r => Assert.Equal(delivered.Header("X-Bifrost-Delivery"), r.Header("X-Bifrost-Delivery")));
        NotificationPipelineTests.AssertSigned(delivered, _clock.GetUtcNow());
    }

    [Fact]
    public async Task QuietHours_HoldMessages_ThenTheRateLimitSendsTwoAndADigest_AndTheNextOneWaitsForTheWindow()
    {
        await using var bifrost = await StartAsync(env =>
        {
            env["notify__channels__ops__quiet_hours__from"] = "22:00";
            env["notify__channels__ops__quiet_hours__to"] = "07:00";
            env["notify__channels__ops__quiet_hours__timezone"] = "UTC";
            env["notify__channels__ops__quiet_hours__include_critical"] = "true";
            env["notify__channels__ops__rate_limit__max"] = "3";
            env["notify__channels__ops__rate_limit__per_seconds"] = "60";
        });
        using var http = new HttpClient { BaseAddress = NotificationTestHost.BaseUrl(bifrost.Services) };
        for (var i = 0; i < 10; i++)
        {
            await AnalyzeAsync(http, $"svc-{i:00}");
        }

        // All ten queued, none sent: it is 23:00, quiet until 07:00.
        await WaitForPendingAsync(http, 10);
        await Task.Delay(500);
        Assert.Empty(_receiver.Requests);

        _clock.SetUtcNow(T0.AddHours(8).AddSeconds(1)); // 07:00:01
        var messages = await _receiver.WaitForAsync(3, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Equal(["incident.new", "incident.new", "incident.digest"], messages.Select(m => m.Json["event"]!.GetValue<string>()));
        var digest = messages[2].Json;
        Assert.Equal("8 new incidents", digest["title"]!.GetValue<string>());
        Assert.Equal(8, digest["incidents"]!.AsArray().Count);
        var services = messages.Take(2).Select(m => m.Json["incident"]!["service_name"]!.GetValue<string>())
            .Concat(digest["incidents"]!.AsArray().Select(i => i!["service_name"]!.GetValue<string>())).Order();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"svc-{i:00}"), services);

        // A new incident ten seconds later: the window's three messages are spent, it waits for the window to move.
        _clock.Advance(TimeSpan.FromSeconds(10));
        await AnalyzeAsync(http, "svc-late");
        await WaitForPendingAsync(http, 1);
        await Task.Delay(500);
        Assert.Equal(3, _receiver.Requests.Count);
        await AdvanceAsync(T0.AddHours(8).AddSeconds(75), () => _receiver.Requests.Count > 3);
        var late = (await _receiver.WaitForAsync(4, TimeSpan.FromSeconds(10)))[3];
        Assert.Equal("svc-late", late.Json["incident"]!["service_name"]!.GetValue<string>());
    }

    private static async Task WaitForPendingAsync(HttpClient http, int pending)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long seen = -1;
        while (DateTime.UtcNow < deadline)
        {
            var channels = await http.GetFromJsonAsync<JsonElement>("/api/v1/notifications/channels");
            seen = channels.GetProperty("channels")[0].GetProperty("pending").GetInt64();
            if (seen == pending)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{seen} messages pending, expected {pending}");
    }
}
