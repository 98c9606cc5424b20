using System.Globalization;
using System.Text.Json.Nodes;
using Bifrost.Incidents;

namespace Bifrost.Notifications.Formats;

/// <summary>
/// PagerDuty Events API v2 (POST https://events.pagerduty.com/v2/enqueue): a <c>trigger</c> for new, regressed
/// and escalated incidents and a <c>resolve</c> when one is resolved, all with the incident's own
/// <c>dedup_key</c> (<c>bifrost-incident-{id}</c>), so a repeat updates the open alert and the resolve closes it.
/// Field limits from the API reference: summary 1,024 characters, dedup_key 255; severity is one of critical,
/// error, warning, info.
/// </summary>
internal static class PagerDutyFormat
{
    private const int SummaryMax = 1024;

    /// <summary>One event per delivery: the channel never digests (<see cref="NotificationChannel.Digests"/>).</summary>
    public static JsonObject Body(Delivery delivery, NotifyChannelOptions channel, string dashboardUrl)
    {
        var m = delivery.Only;
        if (m.Kind == IncidentTransition.Resolved)
        {
            return new JsonObject { ["routing_key"] = channel.RoutingKey, ["dedup_key"] = m.DedupKey, ["event_action"] = "resolve" };
        }

        var body = new JsonObject
        {
            ["routing_key"] = channel.RoutingKey,
            ["event_action"] = "trigger",
            ["dedup_key"] = m.DedupKey,
            ["payload"] = new JsonObject
            {
                ["summary"] = NotificationMessage.Clip($"[{m.ServiceName}] {m.Summary}", SummaryMax),
                ["source"] = m.ServiceName,
                ["severity"] = Severity(m.Severity),
                ["timestamp"] = Timestamp(m.LastSeen),
                ["component"] = m.ServiceName,
                ["group"] = string.Join(",", m.Environments),
                ["class"] = m.Category,
                ["custom_details"] = new JsonObject
                {
                    ["incident_id"] = m.IncidentId,
                    ["transition"] = m.Kind,
                    ["status"] = m.Status,
                    ["occurrences"] = m.Count,
                    ["environments"] = new JsonArray([.. m.Environments.Select(e => (JsonNode?)e)]),
                    ["first_seen"] = Timestamp(m.FirstSeen),
                    ["last_seen"] = Timestamp(m.LastSeen),
                    ["recommendation"] = m.Recommendation,
                    ["related_services"] = new JsonArray([.. m.RelatedServices.Select(s => (JsonNode?)s)]),
                    ["fingerprint"] = m.Fingerprint,
                },
            },
            ["client"] = "Bifrost",
        };
        AddLinks(body, m.Url, $"Incident #{m.IncidentId} in Bifrost", dashboardUrl);
        return body;
    }

    private static void AddLinks(JsonObject body, string? url, string text, string dashboardUrl)
    {
        if (url is not null)
        {
            body["links"] = new JsonArray { new JsonObject { ["href"] = url, ["text"] = text } };
        }

        if (!string.IsNullOrWhiteSpace(dashboardUrl))
        {
            body["client_url"] = dashboardUrl;
        }
    }

    /// <summary>Bifrost severities onto PagerDuty's four.</summary>
    internal static string Severity(string severity) => severity switch
    {
        "CRITICAL" => "critical",
        "HIGH" => "error",
        "MEDIUM" => "warning",
        _ => "info",
    };

    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
