using System.Globalization;
using System.Text.Json.Nodes;

namespace Bifrost.Notifications.Formats;

/// <summary>
/// Slack incoming webhook body: Block Kit <c>blocks</c> plus the top-level <c>text</c> Slack shows in notifications
/// and where blocks cannot be rendered. Limits from Slack's Block Kit reference: header text 150 characters,
/// section text 3,000, at most 10 fields of 2,000 each. Text from logs is escaped (&amp; &lt; &gt;), so a log line
/// cannot ping <c>&lt;!channel&gt;</c> or forge a link. Links are mrkdwn links, not buttons: a button on a
/// plain incoming webhook wants an interactivity endpoint the workspace may not have.
/// </summary>
internal static class SlackFormat
{
    private const int HeaderMax = 150;
    private const int TextMax = 3000;
    private const int FieldMax = 2000;

    public static JsonObject Body(Delivery delivery, string dashboardUrl) =>
        delivery.IsDigest ? Digest(delivery, dashboardUrl) : Single(delivery.Only);

    private static JsonObject Single(NotificationMessage m)
    {
        var blocks = new JsonArray
        {
            Header($"{m.Headline}: {m.ServiceName}"),
            Section(Escape(m.Summary)),
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray
                {
                    Field("Severity", m.Severity),
                    Field("Service", m.ServiceName),
                    Field("Environment", string.Join(", ", m.Environments)),
                    Field("Occurrences", m.Count.ToString("N0", CultureInfo.InvariantCulture)),
                    Field("Category", m.Category),
                    Field("Status", m.Status),
                },
            },
        };
        if (m.Recommendation is { } step)
        {
            blocks.Add(Section($"*Recommended first step*\n{Escape(step)}"));
        }

        if (m.RelatedServices.Count > 0)
        {
            blocks.Add(Context($"Same failure also in: {Escape(string.Join(", ", m.RelatedServices))}"));
        }

        if (m.Url is { } url)
        {
            blocks.Add(Section($"<{url}|Open incident #{m.IncidentId} in Bifrost>"));
        }

        return new JsonObject { ["text"] = Clip(Escape(m.OneLine), TextMax), ["blocks"] = blocks };
    }

    private static JsonObject Digest(Delivery d, string dashboardUrl)
    {
        var lines = d.Messages.Take(Delivery.DigestListed).Select(m =>
        {
            var id = m.Url is { } url ? $"<{url}|#{m.IncidentId}>" : $"#{m.IncidentId}";
            return $"• {id} *{m.Severity}* {Escape(m.ServiceName)} ({m.Headline.ToLowerInvariant()}): {Escape(NotificationMessage.Clip(m.Summary, 200))}";
        });
        var blocks = new JsonArray { Header(d.DigestTitle), Section(string.Join("\n", lines)) };
        if (d.DigestMore is { } more)
        {
            blocks.Add(Context(more));
        }

        if (NotificationMessage.LinkTo(dashboardUrl, 0) is { } link)
        {
            blocks.Add(Section($"<{link.Split('?')[0]}|Open incidents in Bifrost>"));
        }

        return new JsonObject { ["text"] = d.DigestTitle, ["blocks"] = blocks };
    }

    private static JsonObject Header(string text) => new()
    {
        ["type"] = "header",
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Clip(text, HeaderMax) },
    };

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Clip(mrkdwn, TextMax) },
    };

    private static JsonObject Context(string mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = Clip(mrkdwn, TextMax) } },
    };

    private static JsonObject Field(string title, string value) =>
        new() { ["type"] = "mrkdwn", ["text"] = Clip($"*{title}*\n{Escape(value.Length == 0 ? "-" : value)}", FieldMax) };

    /// <summary>Slack's three control characters in mrkdwn (its formatting reference: escape &amp;, &lt; and &gt;).</summary>
    internal static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Clip(string text, int max) => NotificationMessage.Clip(text, max);
}
