using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Bifrost.Api.Export;
using Bifrost.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Bifrost.Incidents;

/// <summary>Incidents over REST: list (needs-attention first), one, resolve / mute / reopen, export; and the notification channels' state.</summary>
public static class IncidentsApi
{
    /// <summary>The longest mute: something muted for good should be resolved or filtered by the channel's rules.</summary>
    public static readonly TimeSpan MaxMute = TimeSpan.FromDays(30);

    public static RouteGroupBuilder MapIncidentsApi(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/incidents").WithTags("Incidents");
        incidents.MapGet("/", ListAsync).RequireAuthorization(Policies.Read)
            .WithSummary("Incidents: analyses grouped by fingerprint and service; open and regressed first, then muted, then resolved")
            .WithDescription("Filters: status (open, regressed, muted, resolved, active = open + regressed), service, environment, severity (highest), category, fingerprint, from/to (last seen). Pass next_cursor back as cursor for the next page.");
        incidents.MapGet("/{incidentId:long}", GetAsync).RequireAuthorization(Policies.Read).WithSummary("One incident");
        incidents.MapPost("/{incidentId:long}/resolve", ResolveAsync).RequireAuthorization(Policies.Write)
            .WithSummary("Resolve: seen again afterwards it regresses; channels that can (PagerDuty) are told it is resolved");
        incidents.MapPost("/{incidentId:long}/mute", MuteAsync).RequireAuthorization(Policies.Write)
            .WithSummary("Mute until a time ({\"until\": ISO-8601}) or for a while ({\"minutes\": n}, at most 30 days): counted, not notified");
        incidents.MapPost("/{incidentId:long}/reopen", ReopenAsync).RequireAuthorization(Policies.Write)
            .WithSummary("Back to open (from resolved or muted), without a notification");
        incidents.MapGet("/export", Export).RequireAuthorization(Policies.Read)
            .WithSummary("All matching incidents as CSV or JSON Lines (format=csv|jsonl), streamed; same filters as the list, plus limit = most rows");
        api.MapGet("/notifications/channels", ChannelsAsync).RequireAuthorization(Policies.Read).WithTags("Incidents")
            .WithSummary("Configured notification channels (name, type, rules) and their outbox backlog; URLs and secrets are never shown");
        return api;
    }

    public static async Task<Results<Ok<IncidentListView>, ValidationProblem>> ListAsync(
        IncidentStore store, IOptions<NotifyOptions> notify, TimeProvider time, CancellationToken ct,
        string? status = null, string? service = null, string? environment = null, string? severity = null, string? category = null,
        string? fingerprint = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 50, string? cursor = null)
    {
        var (query, errors) = Query(status, service, environment, severity, category, fingerprint, from, to, cursor);
        if (limit is < 1 or > 500) errors["limit"] = ["must be between 1 and 500"];
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        IncidentPage page;
        try
        {
            page = await store.ListAsync(query with { Limit = limit }, time.GetUtcNow(), ct).ConfigureAwait(false);
        }
        catch (ArgumentException) when (cursor is not null)
        {
            return AnalysisApi.Invalid(new() { ["cursor"] = ["is not a cursor returned by this endpoint"] });
        }

        return TypedResults.Ok(new IncidentListView([.. page.Items.Select(i => IncidentView.From(i, notify.Value.DashboardUrl))], page.NextCursor));
    }

    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> GetAsync(long incidentId, IncidentStore store, IOptions<NotifyOptions> notify, TimeProvider time, CancellationToken ct) =>
        Found(incidentId, await store.GetAsync(incidentId, time.GetUtcNow(), ct).ConfigureAwait(false), notify);

    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> ResolveAsync(long incidentId, IncidentStore store, IOptions<NotifyOptions> notify, TimeProvider time, CancellationToken ct) =>
        Found(incidentId, await store.ResolveAsync(incidentId, time.GetUtcNow(), ct).ConfigureAwait(false), notify);

    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> ReopenAsync(long incidentId, IncidentStore store, IOptions<NotifyOptions> notify, TimeProvider time, CancellationToken ct) =>
        Found(incidentId, await store.ReopenAsync(incidentId, time.GetUtcNow(), ct).ConfigureAwait(false), notify);

    public static async Task<Results<Ok<IncidentView>, ValidationProblem, ProblemHttpResult>> MuteAsync(
        long incidentId, MuteRequest body, IncidentStore store, IOptions<NotifyOptions> notify, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (MuteEnd(body, now) is not { } until)
        {
            return AnalysisApi.Invalid(new() { ["until"] = [$"give either until (a time in the next {MaxMute.TotalDays:0} days) or minutes (> 0, at most {MaxMute.TotalMinutes:0})"] });
        }

        var muted = await store.MuteAsync(incidentId, until, now, ct).ConfigureAwait(false);
        return muted is null ? AnalysisApi.NotFound($"no incident with id {incidentId}") : TypedResults.Ok(IncidentView.From(muted, notify.Value.DashboardUrl));
    }

    /// <summary>When a mute request ends, or null when it is not a valid one.</summary>
    public static DateTimeOffset? MuteEnd(MuteRequest? body, DateTimeOffset now)
    {
        var until = body switch
        {
            { Until: { } u, Minutes: null } => u,
            { Until: null, Minutes: { } m } when m > 0 && m <= MaxMute.TotalMinutes => now.AddMinutes(m),
            _ => (DateTimeOffset?)null,
        };
        return until is { } t && t > now && t - now <= MaxMute ? Common.Timestamps.TruncateToMilliseconds(t) : null;
    }

    public static Results<PushStreamHttpResult, ValidationProblem> Export(
        IncidentStore store, IOptions<NotifyOptions> notify, TimeProvider time, HttpContext http,
        string? format = null, string? status = null, string? service = null, string? environment = null, string? severity = null,
        string? category = null, string? fingerprint = null, DateTimeOffset? from = null, DateTimeOffset? to = null, long? limit = null)
    {
        var (query, errors) = Query(status, service, environment, severity, category, fingerprint, from, to, null);
        if (!ExportWriter.TryParseFormat(format, out var parsed)) errors["format"] = ["must be csv or jsonl"];
        if (limit is < 1) errors["limit"] = ["must be at least 1"];
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        var now = time.GetUtcNow();
        return TypedResults.Stream(
            (stream) => ExportWriter.WriteIncidentsAsync(store, query, now, notify.Value.DashboardUrl, limit, parsed, stream, http.RequestAborted),
            ExportWriter.ContentType(parsed), $"incidents.{(parsed == ExportFormat.Csv ? "csv" : "jsonl")}");
    }

    public static async Task<Ok<ChannelListView>> ChannelsAsync(NotificationChannels channels, NotificationOutbox outbox, IOptions<NotifyOptions> notify, TimeProvider time, CancellationToken ct)
    {
        var backlog = channels.All.Count == 0 ? [] : await outbox.BacklogAsync(time.GetUtcNow(), ct).ConfigureAwait(false);
        return TypedResults.Ok(new ChannelListView([.. channels.All.Select(c =>
        {
            var options = notify.Value.Channels[c.Name];
            var b = backlog.FirstOrDefault(x => x.Channel == c.Name);
            return new ChannelView(c.Name, c.Type, options.MinSeverity.ToUpperInvariant(), options.Events.Count == 0 ? IncidentTransition.All : options.Events, options.Environments, options.Services, options.Categories,
                c.RateLimit, c.RateWindow.TotalSeconds, b?.Pending ?? 0, b?.Retrying ?? 0, b?.Failed ?? 0, b?.OldestPending, b?.LastError);
        })]));
    }

    private static (IncidentQuery Query, Dictionary<string, string[]> Errors) Query(
        string? status, string? service, string? environment, string? severity, string? category, string? fingerprint,
        DateTimeOffset? from, DateTimeOffset? to, string? cursor)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (status is not null && !IncidentStatus.All.Append(IncidentStatus.Active).Contains(status.ToLowerInvariant()))
        {
            errors["status"] = [$"must be one of {string.Join(", ", IncidentStatus.All)}, {IncidentStatus.Active}; not '{status}'"];
        }

        if (severity is not null && !SeverityRank.IsValid(severity)) errors["severity"] = [$"must be one of LOW, MEDIUM, HIGH, CRITICAL, not '{severity}'"];
        if (from is not null && to is not null && from >= to) errors["from"] = ["must be earlier than to"];
        return (new IncidentQuery(status?.ToLowerInvariant(), service, environment, severity?.ToUpperInvariant(), category, fingerprint, from, to, Cursor: cursor), errors);
    }

    private static Results<Ok<IncidentView>, ProblemHttpResult> Found(long id, StoredIncident? incident, IOptions<NotifyOptions> notify) =>
        incident is null ? AnalysisApi.NotFound($"no incident with id {id}") : TypedResults.Ok(IncidentView.From(incident, notify.Value.DashboardUrl));
}

public sealed record ChannelListView(IReadOnlyList<ChannelView> Channels);

public sealed record ChannelView(
    string Name, string Type, string MinSeverity, IReadOnlyList<string> Events, IReadOnlyList<string> Environments, IReadOnlyList<string> Services,
    IReadOnlyList<string> Categories, int RateLimit, double RateWindowSeconds, long Pending, long Retrying, long Failed, DateTimeOffset? OldestPending, string? LastError);
