using Bifrost.Analysis;

namespace Bifrost.Incidents;

// An incident here is what on-call tools (Sentry issues, Grafana OnCall alert groups) call one problem: every
// analysis with the same fingerprint from the same service, however often and from however many requests. Not
// the engine's Bifrost.Analysis.Incident, which groups repeated failures inside one long log excerpt.

/// <summary>Life cycle of an incident; the names are stored and shown as-is.</summary>
public static class IncidentStatus
{
    public const string Open = "open";
    public const string Resolved = "resolved";

    /// <summary>Seen again after it was resolved.</summary>
    public const string Regressed = "regressed";

    /// <summary>Quiet until <see cref="StoredIncident.MutedUntil"/>; open again afterwards.</summary>
    public const string Muted = "muted";

    public static readonly string[] All = [Open, Regressed, Muted, Resolved];

    /// <summary>Filter value for open + regressed (what needs someone now).</summary>
    public const string Active = "active";
}

/// <summary>The changes on-call is told about (one notification per channel each).</summary>
public static class IncidentTransition
{
    public const string New = "new";
    public const string Regressed = "regressed";

    /// <summary>The incident's highest severity became CRITICAL.</summary>
    public const string Escalated = "escalated";

    public const string Resolved = "resolved";

    public static readonly string[] All = [New, Regressed, Escalated, Resolved];
}

/// <summary>Severity names ↔ the ranks stored for "highest severity" (LOW 0 … CRITICAL 3).</summary>
public static class SeverityRank
{
    public static int Of(string? severity) =>
        Enum.TryParse<Severity>(severity, ignoreCase: true, out var s) && Enum.IsDefined(s) ? (int)s : 0;

    public static string Name(int rank) => ((Severity)Math.Clamp(rank, 0, 3)).ToString();

    public static bool IsValid(string? severity) => Enum.TryParse<Severity>(severity, ignoreCase: true, out var s) && Enum.IsDefined(s);
}

/// <summary>
/// One incident as stored, with its effective status (a mute that has run out reads as open) and the services
/// that hit the same fingerprint around the same time (<see cref="RelatedServices"/>).
/// </summary>
/// <param name="Summary">Summary of the latest analysis (null if that row is gone).</param>
/// <param name="LastTransition">The last change on-call was (or will be) told about.</param>
public sealed record StoredIncident(
    long Id,
    string Fingerprint,
    string ServiceName,
    string Status,
    DateTimeOffset? MutedUntil,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Count,
    string Severity,
    string Category,
    IReadOnlyList<string> Environments,
    long LatestAnalysisId,
    string? Summary,
    string? Recommendation,
    DateTimeOffset? ResolvedAt,
    string LastTransition,
    int TransitionSeq,
    IReadOnlyList<string> RelatedServices)
{
    /// <summary>One root failure hitting several services within the multi-service window.</summary>
    public bool MultiService => RelatedServices.Count > 0;
}

/// <summary>Filters for listing incidents; every filter is optional.</summary>
/// <param name="Status">open, regressed, muted, resolved or active (open + regressed).</param>
/// <param name="Severity">Exact highest severity.</param>
/// <param name="From">last_seen at or after.</param>
/// <param name="To">last_seen before.</param>
/// <param name="ById">Order by id (stable, for export) instead of "needs attention first".</param>
public sealed record IncidentQuery(
    string? Status = null,
    string? ServiceName = null,
    string? Environment = null,
    string? Severity = null,
    string? Category = null,
    string? Fingerprint = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 50,
    string? Cursor = null,
    bool ById = false);

public sealed record IncidentPage(IReadOnlyList<StoredIncident> Items, string? NextCursor);
