using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bifrost.Analysis.Redaction;
using Bifrost.Incidents;

namespace Bifrost.Notifications;

/// <summary>
/// What one notification says about one incident transition, fixed when the transition is dispatched (so a retry
/// sends the same facts) and stored in the outbox as JSON. Text that came from logs is redacted, then clipped.
/// </summary>
/// <param name="Kind">new | regressed | escalated | resolved.</param>
/// <param name="Recommendation">The first step of the latest analysis's recommendation.</param>
/// <param name="Url">The incident in the dashboard (<c>notify.dashboard_url</c>), or null.</param>
public sealed record NotificationMessage(
    long IncidentId,
    string Kind,
    string Status,
    string Summary,
    string Severity,
    string ServiceName,
    IReadOnlyList<string> Environments,
    string Category,
    long Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    string? Recommendation,
    IReadOnlyList<string> RelatedServices,
    string Fingerprint,
    string? Url)
{
    public const int MaxSummaryChars = 500;
    public const int MaxRecommendationChars = 1000;

    /// <summary>PagerDuty's dedup_key (and the webhook receiver's grouping key): the same for every transition of one incident.</summary>
    public string DedupKey => string.Create(CultureInfo.InvariantCulture, $"bifrost-incident-{IncidentId}");

    /// <summary>"New incident", "Regressed", "Escalated to CRITICAL", "Resolved".</summary>
    [JsonIgnore]
    public string Headline => Kind switch
    {
        IncidentTransition.Regressed => "Regressed",
        IncidentTransition.Escalated => "Escalated to CRITICAL",
        IncidentTransition.Resolved => "Resolved",
        IncidentTransition.New => "New incident",
        _ => "Test notification",
    };

    /// <summary>One line: "New incident · checkout · HIGH: summary".</summary>
    [JsonIgnore]
    public string OneLine => $"{Headline} · {ServiceName} · {Severity}: {Summary}";

    public static NotificationMessage From(StoredIncident incident, string kind, string dashboardUrl) => new(
        incident.Id,
        kind,
        incident.Status,
        Clip(Redactor.Redact(incident.Summary ?? incident.Category), MaxSummaryChars),
        incident.Severity,
        incident.ServiceName,
        incident.Environments,
        incident.Category,
        incident.Count,
        incident.FirstSeen,
        incident.LastSeen,
        TopStep(incident.Recommendation) is { Length: > 0 } step ? Clip(Redactor.Redact(step), MaxRecommendationChars) : null,
        incident.RelatedServices,
        incident.Fingerprint,
        LinkTo(dashboardUrl, incident.Id));

    /// <summary>The dashboard's incident view: <c>{dashboard_url}#/incidents?id=N</c> (the dashboard routes by hash).</summary>
    public static string? LinkTo(string dashboardUrl, long incidentId) =>
        string.IsNullOrWhiteSpace(dashboardUrl) ? null : string.Create(CultureInfo.InvariantCulture, $"{dashboardUrl.Split('#')[0]}#/incidents?id={incidentId}");

    /// <summary>The first line of a numbered recommendation, without its number.</summary>
    internal static string TopStep(string? recommendation)
    {
        if (string.IsNullOrWhiteSpace(recommendation))
        {
            return "";
        }

        var first = recommendation.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var dot = first.IndexOf(". ", StringComparison.Ordinal);
        return dot is > 0 and <= 3 && first[..dot].All(char.IsAsciiDigit) ? first[(dot + 2)..] : first;
    }

    internal static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public string ToJson() => JsonSerializer.Serialize(this, NotificationJson.Default.NotificationMessage);

    public static NotificationMessage FromJson(string json) =>
        JsonSerializer.Deserialize(json, NotificationJson.Default.NotificationMessage) ?? throw new JsonException("empty notification message");
}

/// <summary>What leaves in one HTTP call: one message, or a digest of several (rate limit, quiet hours).</summary>
/// <param name="DeliveryId">The outbox id of the first message: stable across retries (receivers may dedupe on it).</param>
public sealed record Delivery(long DeliveryId, IReadOnlyList<NotificationMessage> Messages)
{
    /// <summary>A digest lists this many incidents by name, then "and N more …".</summary>
    public const int DigestListed = 5;

    public bool IsDigest => Messages.Count > 1;

    public NotificationMessage Only => Messages[0];

    /// <summary>"12 new incidents" or "12 incident updates".</summary>
    public string DigestTitle => Messages.All(m => m.Kind == IncidentTransition.New)
        ? string.Create(CultureInfo.InvariantCulture, $"{Messages.Count} new incidents")
        : string.Create(CultureInfo.InvariantCulture, $"{Messages.Count} incident updates");

    /// <summary>"and 14 more new incidents" (null when every message is listed).</summary>
    public string? DigestMore
    {
        get
        {
            var more = Messages.Count - DigestListed;
            if (more <= 0)
            {
                return null;
            }

            var what = Messages.All(m => m.Kind == IncidentTransition.New) ? "new incident" : "incident update";
            return string.Create(CultureInfo.InvariantCulture, $"and {more} more {what}{(more == 1 ? "" : "s")}");
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(NotificationMessage))]
internal sealed partial class NotificationJson : JsonSerializerContext;
