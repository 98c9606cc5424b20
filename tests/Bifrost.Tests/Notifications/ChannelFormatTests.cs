using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bifrost.Incidents;
using Bifrost.Notifications;

namespace Bifrost.Tests.Notifications;

/// <summary>
/// Each channel's body as it arrives at a real HTTP endpoint, compared whole with the shape its service documents:
/// Slack Block Kit (incoming webhook), a Teams Adaptive Card in the webhook message envelope, PagerDuty Events API
/// v2 trigger/resolve, and the generic webhook with its HMAC-SHA256 signature.
/// </summary>
public sealed class ChannelFormatTests : IAsyncLifetime
{
    private static readonly DateTimeOffset First = DateTimeOffset.Parse("2026-11-26T10:15:01Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset Last = DateTimeOffset.Parse("2026-11-26T10:20:00.5Z", System.Globalization.CultureInfo.InvariantCulture);
    private const string Dashboard = "https://bifrost.example.com/dashboard/";
    private Receiver _receiver = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _receiver.DisposeAsync();
    }

    internal static NotificationMessage Message(long id = 42, string kind = IncidentTransition.New, string severity = "HIGH", string service = "checkout", string summary = "Pool exhausted <!channel> & retry") =>
        new(id, kind, kind == IncidentTransition.Resolved ? IncidentStatus.Resolved : IncidentStatus.Open, summary, severity, service, ["prod", "staging"],
            "database.pool_exhausted", 1234, First, Last, "Raise maximumPoolSize", ["billing"], "abc123", NotificationMessage.LinkTo(Dashboard, id));

    private NotificationChannel Channel(string type, Action<NotifyChannelOptions>? configure = null)
    {
        var options = new NotifyChannelOptions { Type = type, Url = _receiver.Url.ToString(), RoutingKey = "R0UT1NGKEY0123456789abcdefABCDEF", Secret = "s3cret-signing-key" };
        configure?.Invoke(options);
        return new NotificationChannel(type + "-test", options, Dashboard);
    }

    private async Task<Received> SendAsync(NotificationChannel channel, Delivery delivery, DateTimeOffset? now = null)
    {
        var outcome = await channel.SendAsync(_http, delivery, now ?? DateTimeOffset.UtcNow, default);
        Assert.True(outcome.Delivered, outcome.Error);
        var received = (await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[^1];
        Assert.Equal("application/json; charset=utf-8", received.Header("Content-Type"));
        return received;
    }

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected\n{JsonNode.Parse(expected)!.ToJsonString()}\ngot\n{actual.ToJsonString()}");

    [Fact]
    public async Task Slack_BlockKitMessage_WithEscapedTextAndFallback()
    {
        var received = await SendAsync(Channel(ChannelTypes.Slack), new Delivery(7, [Message()]));
        AssertJson("""
            {
              "text": "New incident · checkout · HIGH: Pool exhausted &lt;!channel&gt; &amp; retry",
              "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": "New incident: checkout" } },
                { "type": "section", "text": { "type": "mrkdwn", "text": "Pool exhausted &lt;!channel&gt; &amp; retry" } },
                { "type": "section", "fields": [
                    { "type": "mrkdwn", "text": "*Severity*\nHIGH" },
                    { "type": "mrkdwn", "text": "*Service*\ncheckout" },
                    { "type": "mrkdwn", "text": "*Environment*\nprod, staging" },
                    { "type": "mrkdwn", "text": "*Occurrences*\n1,234" },
                    { "type": "mrkdwn", "text": "*Category*\ndatabase.pool_exhausted" },
                    { "type": "mrkdwn", "text": "*Status*\nopen" } ] },
                { "type": "section", "text": { "type": "mrkdwn", "text": "*Recommended first step*\nRaise maximumPoolSize" } },
                { "type": "context", "elements": [ { "type": "mrkdwn", "text": "Same failure also in: billing" } ] },
                { "type": "section", "text": { "type": "mrkdwn", "text": "<https://bifrost.example.com/dashboard/#/incidents?id=42|Open incident #42 in Bifrost>" } }
              ]
            }
            """, received.Json);
    }

    [Fact]
    public async Task Slack_LongText_StaysWithinBlockKitLimits()
    {
        var received = await SendAsync(Channel(ChannelTypes.Slack), new Delivery(7, [Message(service: new string('s', 400), summary: new string('x', 5000))]));
        var blocks = received.Json["blocks"]!.AsArray();
        Assert.True(blocks.Count <= 50);
        Assert.Equal(150, blocks[0]!["text"]!["text"]!.GetValue<string>().Length);
        Assert.All(blocks.Where(b => (string)b!["type"]! == "section" && b["text"] is not null), b => Assert.InRange(b!["text"]!["text"]!.GetValue<string>().Length, 1, 3000));
        Assert.All(blocks.Where(b => b!["fields"] is not null).SelectMany(b => b!["fields"]!.AsArray()), f => Assert.InRange(f!["text"]!.GetValue<string>().Length, 1, 2000));
        Assert.InRange(received.Json["text"]!.GetValue<string>().Length, 1, 3000);
    }

    [Fact]
    public async Task Slack_Digest_ListsFive_AndSaysHowManyMore()
    {
        var messages = Enumerable.Range(1, 8).Select(i => Message(id: i, service: $"svc-{i}", summary: $"failure {i}")).ToList();
        var received = await SendAsync(Channel(ChannelTypes.Slack), new Delivery(1, messages));
        AssertJson("""
            {
              "text": "8 new incidents",
              "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": "8 new incidents" } },
                { "type": "section", "text": { "type": "mrkdwn", "text": "• <https://bifrost.example.com/dashboard/#/incidents?id=1|#1> *HIGH* svc-1 (new incident): failure 1\n• <https://bifrost.example.com/dashboard/#/incidents?id=2|#2> *HIGH* svc-2 (new incident): failure 2\n• <https://bifrost.example.com/dashboard/#/incidents?id=3|#3> *HIGH* svc-3 (new incident): failure 3\n• <https://bifrost.example.com/dashboard/#/incidents?id=4|#4> *HIGH* svc-4 (new incident): failure 4\n• <https://bifrost.example.com/dashboard/#/incidents?id=5|#5> *HIGH* svc-5 (new incident): failure 5" } },
                { "type": "context", "elements": [ { "type": "mrkdwn", "text": "and 3 more new incidents" } ] },
                { "type": "section", "text": { "type": "mrkdwn", "text": "<https://bifrost.example.com/dashboard/#/incidents|Open incidents in Bifrost>" } }
              ]
            }
            """, received.Json);
    }

    [Fact]
    public async Task Teams_AdaptiveCard_InTheWebhookMessageEnvelope()
    {
        var received = await SendAsync(Channel(ChannelTypes.Teams), new Delivery(7, [Message(severity: "CRITICAL")]));
        AssertJson("""
            {
              "type": "message",
              "attachments": [
                {
                  "contentType": "application/vnd.microsoft.card.adaptive",
                  "contentUrl": null,
                  "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.2",
                    "body": [
                      { "type": "TextBlock", "text": "New incident: checkout", "wrap": true, "weight": "Bolder", "size": "Medium", "color": "Attention" },
                      { "type": "TextBlock", "text": "Pool exhausted <!channel> & retry", "wrap": true },
                      { "type": "FactSet", "facts": [
                          { "title": "Severity", "value": "CRITICAL" },
                          { "title": "Service", "value": "checkout" },
                          { "title": "Environment", "value": "prod, staging" },
                          { "title": "Occurrences", "value": "1,234" },
                          { "title": "Category", "value": "database.pool_exhausted" },
                          { "title": "Status", "value": "open" } ] },
                      { "type": "TextBlock", "text": "Recommended first step: Raise maximumPoolSize", "wrap": true },
                      { "type": "TextBlock", "text": "Same failure also in: billing", "wrap": true }
                    ],
                    "actions": [ { "type": "Action.OpenUrl", "title": "Open incident #42 in Bifrost", "url": "https://bifrost.example.com/dashboard/#/incidents?id=42" } ]
                  }
                }
              ]
            }
            """, received.Json);
    }

    [Fact]
    public async Task PagerDuty_Trigger_CarriesTheIncidentsDedupKey()
    {
        var received = await SendAsync(Channel(ChannelTypes.PagerDuty), new Delivery(7, [Message(kind: IncidentTransition.Regressed)]));
        AssertJson("""
            {
              "routing_key": "R0UT1NGKEY0123456789abcdefABCDEF",
              "event_action": "trigger",
              "dedup_key": "bifrost-incident-42",
              "payload": {
                "summary": "[checkout] Pool exhausted <!channel> & retry",
                "source": "checkout",
                "severity": "error",
                "timestamp": "2026-11-26T10:20:00.500Z",
                "component": "checkout",
                "group": "prod,staging",
                "class": "database.pool_exhausted",
                "custom_details": {
                  "incident_id": 42,
                  "transition": "regressed",
                  "status": "open",
                  "occurrences": 1234,
                  "environments": ["prod", "staging"],
                  "first_seen": "2026-11-26T10:15:01.000Z",
                  "last_seen": "2026-11-26T10:20:00.500Z",
                  "recommendation": "Raise maximumPoolSize",
                  "related_services": ["billing"],
                  "fingerprint": "abc123"
                }
              },
              "client": "Bifrost",
              "links": [ { "href": "https://bifrost.example.com/dashboard/#/incidents?id=42", "text": "Incident #42 in Bifrost" } ],
              "client_url": "https://bifrost.example.com/dashboard/"
            }
            """, received.Json);
    }

    [Fact]
    public async Task PagerDuty_Resolve_IsTheDocumentedThreeFields_WithTheSameDedupKey()
    {
        var received = await SendAsync(Channel(ChannelTypes.PagerDuty), new Delivery(9, [Message(kind: IncidentTransition.Resolved)]));
        AssertJson("""{ "routing_key": "R0UT1NGKEY0123456789abcdefABCDEF", "dedup_key": "bifrost-incident-42", "event_action": "resolve" }""", received.Json);
    }

    [Theory]
    [InlineData("CRITICAL", "critical")]
    [InlineData("HIGH", "error")]
    [InlineData("MEDIUM", "warning")]
    [InlineData("LOW", "info")]
    public async Task PagerDuty_Severity_MapsOntoItsFour(string severity, string expected)
    {
        var received = await SendAsync(Channel(ChannelTypes.PagerDuty), new Delivery(7, [Message(severity: severity)]));
        Assert.Equal(expected, received.Json["payload"]!["severity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Webhook_JsonBody_SignedWithHmacSha256OverTimestampAndBody()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        var received = await SendAsync(Channel(ChannelTypes.Webhook), new Delivery(7, [Message()]), now);

        Assert.Equal("1790000000", received.Header("X-Bifrost-Timestamp"));
        Assert.Equal("7", received.Header("X-Bifrost-Delivery"));
        Assert.Equal("incident.new", received.Header("X-Bifrost-Event"));
        // What a receiver computes: HMAC-SHA256(secret, "{timestamp}.{raw body}"), hex, "sha256=" in front.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret-signing-key"), (byte[])[.. Encoding.UTF8.GetBytes("1790000000."), .. received.Body]));
        Assert.Equal(expected, received.Header("X-Bifrost-Signature"));
        var forged = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("another-key"), (byte[])[.. Encoding.UTF8.GetBytes("1790000000."), .. received.Body]));
        Assert.NotEqual(forged, received.Header("X-Bifrost-Signature"));

        AssertJson("""
            {
              "event": "incident.new",
              "delivery_id": 7,
              "incident": {
                "incident_id": 42, "kind": "new", "status": "open", "summary": "Pool exhausted <!channel> & retry", "severity": "HIGH",
                "service_name": "checkout", "environments": ["prod", "staging"], "category": "database.pool_exhausted", "count": 1234,
                "first_seen": "2026-11-26T10:15:01+00:00", "last_seen": "2026-11-26T10:20:00.5+00:00", "recommendation": "Raise maximumPoolSize",
                "related_services": ["billing"], "fingerprint": "abc123", "url": "https://bifrost.example.com/dashboard/#/incidents?id=42",
                "dedup_key": "bifrost-incident-42"
              }
            }
            """, received.Json);
    }

    [Fact]
    public async Task Answers_DecideRetryOrGiveUp()
    {
        var channel = Channel(ChannelTypes.Slack);
        foreach (var (status, delivered, permanent) in new[] { (200, true, false), (202, true, false), (500, false, false), (503, false, false), (429, false, false), (408, false, false), (400, false, true), (404, false, true), (410, false, true) })
        {
            _receiver.Answer = _ => status;
            var outcome = await channel.SendAsync(_http, new Delivery(1, [Message()]), DateTimeOffset.UtcNow, default);
            Assert.Equal((delivered, permanent), (outcome.Delivered, outcome.Permanent));
            if (!delivered)
            {
                Assert.StartsWith($"HTTP {status}", outcome.Error, StringComparison.Ordinal);
            }
        }

        var dead = new NotificationChannel("dead", new NotifyChannelOptions { Type = "slack", Url = "http://127.0.0.1:1/hook" }, "");
        var refused = await dead.SendAsync(_http, new Delivery(1, [Message()]), DateTimeOffset.UtcNow, default);
        Assert.Equal((false, false), (refused.Delivered, refused.Permanent));
    }
}
