using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bifrost.Incidents;
using Bifrost.Tests.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Notifications;

/// <summary>
/// Notifications end to end: requests through the real Kafka broker into `bifrost serve` (in-process) and PostgreSQL,
/// incidents written with the analyses, messages delivered by the background sender to real HTTP receivers.
/// </summary>
public class NotificationPipelineTests
{
    private const string Failure = "2026-11-26 10:15:31.229 ERROR [http-nio-8080-exec-7] o.h.e.j.s.SqlExceptionHelper - HikariPool-1 - Connection is not available, request timed out after 30000ms.";

    [Fact]
    public async Task Burst_1000RequestsOfOneNewFailure_OneNotificationPerChannel_ThenResolveGoesOutOnce()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var slack = await Receiver.StartAsync();
        await using var teams = await Receiver.StartAsync();
        await using var pagerduty = await Receiver.StartAsync();
        await using var hook = await Receiver.StartAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        using var results = new TopicCollector(TestServices.Kafka, resultTopic);
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic)
            .WithChannels(("slack", "slack", slack), ("teams", "teams", teams), ("pd", "pagerduty", pagerduty), ("hook", "webhook", hook));
        await using var bifrost = await TestHost.StartAsync(env);

        // 1,000 requests of one failure from one service (log_id 5 → svc-5), spread over many keys and partitions.
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic,
            Enumerable.Range(0, 1000).Select(i => ((byte[]?)Encoding.UTF8.GetBytes($"k{i % 50}"), TestRequests.Json($"burst-{i}", 5, Failure))));
        await results.WaitForAsync(1000, TimeSpan.FromSeconds(120), settle: TimeSpan.FromSeconds(1));

        var incident = Assert.Single(await NotificationTestHost.IncidentsAsync(bifrost.Services, "svc-5"));
        Assert.Equal(1000, incident.Count);
        foreach (var receiver in new[] { slack, teams, pagerduty, hook })
        {
            await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // fifteen more polls: nothing else may come
        var slackMessage = Assert.Single(slack.Requests).Json;
        Assert.Equal("New incident: svc-5", slackMessage["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        Assert.Contains(slackMessage["blocks"]!.AsArray(), b => b!["text"]?["text"]?.GetValue<string>().StartsWith($"<{NotificationTestHost.Dashboard}#/incidents?id={incident.Id}|", StringComparison.Ordinal) == true);
        var card = Assert.Single(teams.Requests).Json;
        Assert.Equal(("message", "application/vnd.microsoft.card.adaptive"), (card["type"]!.GetValue<string>(), card["attachments"]![0]!["contentType"]!.GetValue<string>()));
        var trigger = Assert.Single(pagerduty.Requests).Json;
        Assert.Equal(("trigger", $"bifrost-incident-{incident.Id}", NotificationTestHost.RoutingKey), (trigger["event_action"]!.GetValue<string>(), trigger["dedup_key"]!.GetValue<string>(), trigger["routing_key"]!.GetValue<string>()));
        Assert.Equal(incident.Severity.ToLowerInvariant() switch { "critical" => "critical", "high" => "error", "medium" => "warning", _ => "info" }, trigger["payload"]!["severity"]!.GetValue<string>());
        var webhook = Assert.Single(hook.Requests);
        AssertSigned(webhook);
        Assert.Equal(("incident.new", incident.Id), (webhook.Json["event"]!.GetValue<string>(), webhook.Json["incident"]!["incident_id"]!.GetValue<long>()));
        Assert.InRange(webhook.Json["incident"]!["count"]!.GetValue<long>(), 1, 1000);

        // Resolved by on-call: PagerDuty closes the same dedup_key; the others get a "Resolved" message. Once.
        await bifrost.Services.GetRequiredService<IncidentStore>().ResolveAsync(incident.Id, DateTimeOffset.UtcNow, default);
        foreach (var receiver in new[] { slack, teams, pagerduty, hook })
        {
            await receiver.WaitForAsync(2, TimeSpan.FromSeconds(30));
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.All(new[] { slack, teams, pagerduty, hook }, r => Assert.Equal(2, r.Requests.Count));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""{"routing_key":"{{NotificationTestHost.RoutingKey}}","dedup_key":"bifrost-incident-{{incident.Id}}","event_action":"resolve"}"""),
            pagerduty.Requests[1].Json));
        Assert.Equal("Resolved: svc-5", slack.Requests[1].Json["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        AssertSigned(hook.Requests[1]);
        Assert.Equal("incident.resolved", hook.Requests[1].Json["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeadEndpoint_FailingForAWhile_GetsTheMessageAfterwards_Once_DelaysNothing_ShowsDegraded()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var hook = await Receiver.StartAsync();
        await using var slack = await Receiver.StartAsync();
        var failing = true;
        DateTimeOffset? firstFailure = null;
        hook.Answer = r =>
        {
            firstFailure ??= r.At;
            return Volatile.Read(ref failing) ? 500 : 200;
        };
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        using var results = new TopicCollector(TestServices.Kafka, resultTopic);
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic)
            .WithChannels(("dead-hook", "webhook", hook), ("slack", "slack", slack));
        await using var bifrost = await TestHost.StartAsync(env);
        using var http = new HttpClient { BaseAddress = NotificationTestHost.BaseUrl(bifrost.Services) };

        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, Enumerable.Range(0, 200).Select(i => ((byte[]?)null, TestRequests.Json($"dead-a-{i}", 3, Failure))));
        await results.WaitForAsync(200, TimeSpan.FromSeconds(90));
        await hook.WaitForAsync(3, TimeSpan.FromSeconds(30), r => r.Status == 500); // failing, retried with backoff
        await slack.WaitForAsync(1, TimeSpan.FromSeconds(30)); // the other channel is not held up by the dead one

        // While the endpoint is down: analyses go on at full pace, readiness says degraded, metrics say why.
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, Enumerable.Range(0, 200).Select(i => ((byte[]?)null, TestRequests.Json($"dead-b-{i}", 3, Failure))));
        await results.WaitForAsync(400, TimeSpan.FromSeconds(90));
        Assert.Empty(hook.Accepted);
        var ready = await http.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Degraded", ready.GetProperty("checks").GetProperty("notifications").GetProperty("status").GetString());
        Assert.Contains("dead-hook: ", ready.GetProperty("checks").GetProperty("notifications").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("HTTP 500", ready.GetProperty("checks").GetProperty("notifications").GetProperty("description").GetString(), StringComparison.Ordinal);
        await WaitForMetricAsync(http, "bifrost_notifications_retrying", ["channel=\"dead-hook\""], v => v >= 1);
        await WaitForMetricAsync(http, "bifrost_notifications_failures_total", ["channel=\"dead-hook\"", "outcome=\"retry\""], v => v >= 3);

        // The endpoint stays down for at least three seconds from its first failure, then recovers.
        var downFor = DateTimeOffset.UtcNow - firstFailure!.Value;
        if (downFor < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(TimeSpan.FromSeconds(3) - downFor);
        }

        Volatile.Write(ref failing, false);
        var delivered = Assert.Single(await hook.WaitForAsync(1, TimeSpan.FromSeconds(30)));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Single(hook.Accepted);
        var attempts = hook.Requests;
        Assert.True(attempts.Count >= 4, $"{attempts.Count} attempts");
        Assert.All(attempts, a => Assert.Equal(delivered.Header("X-Bifrost-Delivery"), a.Header("X-Bifrost-Delivery")));
        Assert.All(attempts, a => Assert.True(JsonNode.DeepEquals(delivered.Json, a.Json)));
        AssertSigned(delivered);
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM bifrost_incidents"));
        Assert.Equal(400, await db.ScalarAsync("SELECT occurrences FROM bifrost_incidents"));
        Assert.Single(slack.Requests);

        ready = await http.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("notifications").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TwoInstances_OnePostgres_NeverSendTheSameNotificationTwice()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var hook = await Receiver.StartAsync();
        hook.Delay = TimeSpan.FromMilliseconds(30); // deliveries overlap with the other instance's claims
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        using var results = new TopicCollector(TestServices.Kafka, resultTopic);
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic).WithChannels(("hook", "webhook", hook));
        env["notify__channels__hook__rate_limit__max"] = "0"; // one message per incident, no digest
        var migrator = Bifrost.Storage.DatabaseUrl.CreateStore(db.Url);
        await migrator.MigrateAsync(default);
        await ((IAsyncDisposable)migrator).DisposeAsync();
        await using var first = await TestHost.StartAsync(env);
        await using var second = await TestHost.StartAsync(env);

        // 17 services (log_id % 17) × one failure = 17 incidents, 40 requests each, both instances consuming.
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic,
            Enumerable.Range(0, 680).Select(i => ((byte[]?)Encoding.UTF8.GetBytes($"k{i % 34}"), TestRequests.Json($"two-{i}", i % 17, Failure))));
        await results.WaitForAsync(680, TimeSpan.FromSeconds(120));
        var incidents = await NotificationTestHost.IncidentsAsync(first.Services);
        Assert.Equal(17, incidents.Count);
        Assert.All(incidents, i => Assert.Equal(40, i.Count));
        await hook.WaitForAsync(17, TimeSpan.FromSeconds(60));

        // Both instances resolve every incident at the same moment: still one "resolved" each.
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(incidents.SelectMany(i => new[] { first, second }.Select(h => h.Services.GetRequiredService<IncidentStore>().ResolveAsync(i.Id, now, default))));
        await hook.WaitForAsync(34, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var delivered = hook.Requests;
        Assert.Equal(34, delivered.Count);
        Assert.Equal(34, delivered.Select(r => r.Header("X-Bifrost-Delivery")).Distinct().Count());
        foreach (var kind in new[] { "incident.new", "incident.resolved" })
        {
            var ids = delivered.Where(r => r.Json["event"]!.GetValue<string>() == kind).Select(r => r.Json["incident"]!["incident_id"]!.GetValue<long>()).Order().ToList();
            Assert.Equal(incidents.Select(i => i.Id).Order(), ids);
        }
    }

    internal static void AssertSigned(Received request) => AssertSigned(request, DateTimeOffset.UtcNow);

    internal static void AssertSigned(Received request, DateTimeOffset now)
    {
        var timestamp = request.Header("X-Bifrost-Timestamp")!;
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(NotificationTestHost.Secret), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. request.Body]));
        Assert.Equal(expected, request.Header("X-Bifrost-Signature"));
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), now.AddMinutes(-5).ToUnixTimeSeconds(), now.AddMinutes(1).ToUnixTimeSeconds());
    }

    private static async Task WaitForMetricAsync(HttpClient http, string name, string[] labels, Func<double, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string lastLine = "(absent)";
        while (DateTime.UtcNow < deadline)
        {
            var exposition = await http.GetStringAsync("/metrics");
            var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(x => l.Contains(x, StringComparison.Ordinal)));
            if (line is not null)
            {
                lastLine = line;
                if (condition(double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)))
                {
                    return;
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"metric {name}{{{string.Join(",", labels)}}} never met the condition; last: {lastLine}");
    }
}
