using Bifrost.Notifications;

namespace Bifrost.Incidents;

/// <summary>What the REST API, the CLI's JSON and the export return for an incident (snake_case on the wire).</summary>
/// <param name="Services">This incident's service first, then the others that hit the same fingerprint within the multi-service window.</param>
/// <param name="Url">The incident in the dashboard, when <c>notify.dashboard_url</c> is set.</param>
public sealed record IncidentView(
    long IncidentId,
    string Status,
    string Severity,
    string ServiceName,
    IReadOnlyList<string> Services,
    bool MultiService,
    IReadOnlyList<string> Environments,
    string Category,
    long Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DateTimeOffset? MutedUntil,
    DateTimeOffset? ResolvedAt,
    string Fingerprint,
    string? Summary,
    string? Recommendation,
    long LatestAnalysisId,
    string LastTransition,
    string? Url)
{
    public static IncidentView From(StoredIncident i, string dashboardUrl) => new(
        i.Id, i.Status, i.Severity, i.ServiceName, [i.ServiceName, .. i.RelatedServices], i.MultiService, i.Environments, i.Category, i.Count,
        i.FirstSeen, i.LastSeen, i.MutedUntil, i.ResolvedAt, i.Fingerprint, i.Summary, i.Recommendation, i.LatestAnalysisId, i.LastTransition,
        NotificationMessage.LinkTo(dashboardUrl, i.Id));
}

public sealed record IncidentListView(IReadOnlyList<IncidentView> Items, string? NextCursor);

/// <summary>Body of <c>POST /api/v1/incidents/{id}/mute</c>: either an end time or a duration.</summary>
public sealed record MuteRequest(DateTimeOffset? Until = null, double? Minutes = null);
