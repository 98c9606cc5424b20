using Bifrost.Api.Auth;
using Bifrost.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bifrost.Api.Analyses;

/// <summary>History, statistics and recurring failures across every channel's analyses.</summary>
public static class HistoryApi
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    public static RouteGroupBuilder MapHistoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analyses", ListAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("Analyses, newest first, filtered and cursor-paged")
            .WithDescription("Filters: service, environment, severity, category, status, from/to (received_at, ISO-8601), q (text in summary, root cause, recommendation or log), fingerprint, tenant (Heimdall release 2's tenant_id). Pass next_cursor back as cursor for the next page.");
        api.MapGet("/stats", StatsAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("Counts by severity, category, service and status over a window (default: the last 24 hours)");
        api.MapGet("/patterns", PatternsAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("The most frequent failure fingerprints in a window, with counts and the latest analysis of each");
        return api;
    }

    public static async Task<Results<Ok<AnalysisListView>, ValidationProblem>> ListAsync(
        IAnalysisStore store,
        CancellationToken ct,
        string? service = null,
        string? environment = null,
        string? severity = null,
        string? category = null,
        string? status = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        string? q = null,
        string? fingerprint = null,
        int limit = 50,
        string? cursor = null,
        string? tenant = null)
    {
        var (query, errors) = Query(service, environment, severity, category, status, from, to, q, fingerprint, limit, cursor, tenant);
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);

        AnalysisPage page;
        try
        {
            page = await store.ListAsync(query, ct).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            return AnalysisApi.Invalid(new() { ["cursor"] = ["is not a cursor returned by this endpoint"] });
        }
        catch (ArgumentException) when (cursor is not null)
        {
            return AnalysisApi.Invalid(new() { ["cursor"] = ["is not a cursor returned by this endpoint"] });
        }

        return TypedResults.Ok(new AnalysisListView([.. page.Items.Select(a => AnalysisView.From(a))], page.NextCursor));
    }

    /// <summary>The history filters (also the export's), validated: errors by parameter name, empty when the query is good.</summary>
    internal static (AnalysisQuery Query, Dictionary<string, string[]> Errors) Query(
        string? service, string? environment, string? severity, string? category, string? status,
        DateTimeOffset? from, DateTimeOffset? to, string? q, string? fingerprint, int limit, string? cursor, string? tenant = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AnalysisStatus? parsedStatus = null;
        if (status is not null)
        {
            if (Enum.TryParse<AnalysisStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s)) parsedStatus = s;
            else errors["status"] = [$"must be one of RECEIVED, PROCESSING, COMPLETED, FAILED, not '{status}'"];
        }

        if (severity is not null && !Enum.TryParse<Bifrost.Analysis.Severity>(severity, ignoreCase: true, out _))
        {
            errors["severity"] = [$"must be one of LOW, MEDIUM, HIGH, CRITICAL, not '{severity}'"];
        }

        if (limit is < 1 or > 500) errors["limit"] = ["must be between 1 and 500"];
        CheckWindow(errors, from, to);
        return (new AnalysisQuery(service, environment, severity?.ToUpperInvariant(), category, parsedStatus, from, to, q, fingerprint, limit, cursor, tenant), errors);
    }

    public static async Task<Results<Ok<AnalysisStats>, ValidationProblem>> StatsAsync(
        IAnalysisStore store, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckWindow(errors, from, to);
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        var (start, end) = Window(time, from, to);
        return TypedResults.Ok(await store.GetStatsAsync(start, end, ct).ConfigureAwait(false));
    }

    public static async Task<Results<Ok<PatternListView>, ValidationProblem>> PatternsAsync(
        IAnalysisStore store, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 20)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckWindow(errors, from, to);
        if (limit is < 1 or > 200) errors["limit"] = ["must be between 1 and 200"];
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        var (start, end) = Window(time, from, to);
        var top = await store.GetTopFingerprintsAsync(start, end, limit, ct).ConfigureAwait(false);
        return TypedResults.Ok(new PatternListView(start, end,
            [.. top.Select(p => new PatternView(p.Fingerprint, p.Count, p.LastSeen, AnalysisView.From(p.Latest)))]));
    }

    private static void CheckWindow(Dictionary<string, string[]> errors, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is not null && to is not null && from >= to) errors["from"] = ["must be earlier than to"];
    }

    private static (DateTimeOffset From, DateTimeOffset To) Window(TimeProvider time, DateTimeOffset? from, DateTimeOffset? to)
    {
        var end = to ?? time.GetUtcNow();
        return (from ?? end - DefaultWindow, end);
    }
}

public sealed record AnalysisListView(IReadOnlyList<AnalysisView> Items, string? NextCursor);

public sealed record PatternListView(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<PatternView> Patterns);

public sealed record PatternView(string Fingerprint, long Count, DateTimeOffset LastSeen, AnalysisView Latest);
