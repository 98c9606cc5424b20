using System.Globalization;
using System.Text.Json.Nodes;

namespace Bifrost.Notifications.Formats;

/// <summary>
/// Microsoft Teams: an Adaptive Card in the message envelope Teams' incoming webhooks (Workflows "post to a
/// channel when a webhook request is received", and the older connector webhooks) document:
/// <c>{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{AdaptiveCard}}]}</c>.
/// Card version 1.2 as in that documentation; only TextBlock, FactSet and Action.OpenUrl are used (all 1.0).
/// </summary>
internal static class TeamsFormat
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Body(Delivery delivery, string dashboardUrl)
    {
        var (body, url, title) = delivery.IsDigest ? Digest(delivery, dashboardUrl) : Single(delivery.Only);
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.2",
            ["body"] = body,
        };
        if (url is not null)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url } };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = AdaptiveCardContentType, ["contentUrl"] = null, ["content"] = card },
            },
        };
    }

    private static (JsonArray Body, string? Url, string ActionTitle) Single(NotificationMessage m)
    {
        var body = new JsonArray
        {
            Text($"{m.Headline}: {m.ServiceName}", heading: true, Color(m)),
            Text(m.Summary),
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray
                {
                    Fact("Severity", m.Severity),
                    Fact("Service", m.ServiceName),
                    Fact("Environment", string.Join(", ", m.Environments)),
                    Fact("Occurrences", m.Count.ToString("N0", CultureInfo.InvariantCulture)),
                    Fact("Category", m.Category),
                    Fact("Status", m.Status),
                },
            },
        };
        if (m.Recommendation is { } step)
        {
            body.Add(Text($"Recommended first step: {step}"));
        }

        if (m.RelatedServices.Count > 0)
        {
            body.Add(Text($"Same failure also in: {string.Join(", ", m.RelatedServices)}"));
        }

        return (body, m.Url, $"Open incident #{m.IncidentId} in Bifrost");
    }

    private static (JsonArray Body, string? Url, string ActionTitle) Digest(Delivery d, string dashboardUrl)
    {
        var body = new JsonArray { Text(d.DigestTitle, heading: true, d.Messages.Any(m => m.Severity == "CRITICAL") ? "Attention" : "Default") };
        foreach (var m in d.Messages.Take(Delivery.DigestListed))
        {
            body.Add(Text($"#{m.IncidentId} {m.Severity} {m.ServiceName} ({m.Headline.ToLowerInvariant()}): {NotificationMessage.Clip(m.Summary, 200)}"));
        }

        if (d.DigestMore is { } more)
        {
            body.Add(Text(more));
        }

        return (body, NotificationMessage.LinkTo(dashboardUrl, 0)?.Split('?')[0], "Open incidents in Bifrost");
    }

    private static JsonObject Text(string text, bool heading = false, string? color = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (heading)
        {
            block["weight"] = "Bolder";
            block["size"] = "Medium";
            block["color"] = color ?? "Default";
        }

        return block;
    }

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value.Length == 0 ? "-" : value };

    private static string Color(NotificationMessage m) => m.Kind == Incidents.IncidentTransition.Resolved ? "Good" : m.Severity switch
    {
        "CRITICAL" => "Attention",
        "HIGH" => "Warning",
        _ => "Default",
    };
}
