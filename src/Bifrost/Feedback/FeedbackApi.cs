using System.Security.Claims;
using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bifrost.Feedback;

/// <summary>
/// Feedback on analyses: vote, correct, note (write key; stored under the key's name), edit, withdraw; list, filter
/// and statistics (read key).
/// </summary>
public static class FeedbackApi
{
    private static readonly TimeSpan DefaultStatsWindow = TimeSpan.FromDays(30);

    public static RouteGroupBuilder MapFeedbackApi(this RouteGroupBuilder api)
    {
        api.MapPost("/analyses/{analysisId}/feedback", AddAsync)
            .RequireAuthorization(Policies.Write)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Mark an analysis helpful or not, correct its category/severity, or add a resolution note")
            .WithDescription("Corrections are learned per failure: the next analysis with the same fingerprint (and service, with service_specific) uses them. Notes appear in the next answer as \"Last time: …\".");
        api.MapGet("/analyses/{analysisId}/feedback", ForAnalysisAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("Feedback on one analysis, newest first (withdrawn entries included)");
        api.MapGet("/feedback", ListAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("Feedback, newest first, filtered and cursor-paged")
            .WithDescription("Filters: analysis_id, fingerprint, service, author, kind (helpful | unhelpful | correction | note), include_withdrawn (default true), from/to. Pass next_cursor back as cursor.");
        api.MapGet("/feedback/stats", StatsAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("Helpful rate by category, service, engine and day, and the fingerprints most often marked unhelpful (default: last 30 days)");
        api.MapGet("/feedback/{id}", GetAsync)
            .RequireAuthorization(Policies.Read)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One feedback entry");
        api.MapPut("/feedback/{id}", UpdateAsync)
            .RequireAuthorization(Policies.Write)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Edit a feedback entry (replaces vote, correction and note; records who and when)");
        api.MapPost("/feedback/{id}/withdraw", WithdrawAsync)
            .RequireAuthorization(Policies.Write)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Withdraw a feedback entry: it stays listed, but no longer changes answers (the engine's answer, or an older correction, applies again)");
        return api;
    }

    public static async Task<Results<Created<FeedbackView>, ValidationProblem, ProblemHttpResult>> AddAsync(
        long analysisId, FeedbackBody body, FeedbackService feedback, ClaimsPrincipal user, CancellationToken ct)
    {
        var (entry, refusal) = await feedback.AddAsync(analysisId, body.ToInput(), Author(user), ct).ConfigureAwait(false);
        if (refusal is not null) return refusal.Errors is { } errors ? AnalysisApi.Invalid(errors) : Problem(refusal);
        return TypedResults.Created($"/api/v1/feedback/{entry!.Id}", FeedbackView.From(entry));
    }

    public static async Task<Results<Ok<FeedbackView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, FeedbackBody body, FeedbackService feedback, ClaimsPrincipal user, CancellationToken ct)
    {
        var (entry, refusal) = await feedback.UpdateAsync(id, body.ToInput(), Author(user), ct).ConfigureAwait(false);
        if (refusal is not null) return refusal.Errors is { } errors ? AnalysisApi.Invalid(errors) : Problem(refusal);
        return TypedResults.Ok(FeedbackView.From(entry!));
    }

    public static async Task<Results<Ok<FeedbackView>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        long id, FeedbackService feedback, ClaimsPrincipal user, CancellationToken ct)
    {
        var (entry, refusal) = await feedback.WithdrawAsync(id, Author(user), ct).ConfigureAwait(false);
        if (refusal is not null) return refusal.Errors is { } errors ? AnalysisApi.Invalid(errors) : Problem(refusal);
        return TypedResults.Ok(FeedbackView.From(entry!));
    }

    public static async Task<Results<Ok<FeedbackView>, ProblemHttpResult>> GetAsync(long id, IFeedbackStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct).ConfigureAwait(false) is { } entry
            ? TypedResults.Ok(FeedbackView.From(entry))
            : AnalysisApi.NotFound($"no feedback with id {id}");

    public static async Task<Ok<FeedbackListView>> ForAnalysisAsync(long analysisId, IFeedbackStore store, CancellationToken ct)
    {
        var page = await store.ListAsync(new FeedbackQuery(AnalysisId: analysisId, Limit: 500), ct).ConfigureAwait(false);
        return TypedResults.Ok(new FeedbackListView([.. page.Items.Select(FeedbackView.From)], null));
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "Parameter names are the REST query names, snake_case like every field of the API")]
    public static async Task<Results<Ok<FeedbackListView>, ValidationProblem>> ListAsync(
        IFeedbackStore store,
        CancellationToken ct,
        long? analysis_id = null,
        string? fingerprint = null,
        string? service = null,
        string? author = null,
        string? kind = null,
        bool include_withdrawn = true,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        int limit = 50,
        string? cursor = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (kind is not null and not ("helpful" or "unhelpful" or "correction" or "note")) errors["kind"] = [$"must be helpful, unhelpful, correction or note, not '{kind}'"];
        if (limit is < 1 or > 500) errors["limit"] = ["must be between 1 and 500"];
        if (from is not null && to is not null && from >= to) errors["from"] = ["must be earlier than to"];
        long? before = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b)) before = b;
            else errors["cursor"] = ["is not a cursor returned by this endpoint"];
        }

        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        var page = await store.ListAsync(new FeedbackQuery(analysis_id, fingerprint, service, author, kind, include_withdrawn, from, to, limit, before), ct).ConfigureAwait(false);
        return TypedResults.Ok(new FeedbackListView([.. page.Items.Select(FeedbackView.From)], page.NextBefore?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Ok<FeedbackStats>, ValidationProblem>> StatsAsync(
        IFeedbackStore store, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, int top = 20)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (from is not null && to is not null && from >= to) errors["from"] = ["must be earlier than to"];
        if (top is < 1 or > 200) errors["top"] = ["must be between 1 and 200"];
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        var end = to ?? time.GetUtcNow();
        return TypedResults.Ok(await store.StatsAsync(from ?? end - DefaultStatsWindow, end, top, ct).ConfigureAwait(false));
    }

    /// <summary>The API key's name (anonymous when keys are not required).</summary>
    internal static string Author(ClaimsPrincipal user) => user.FindFirst(ClaimTypes.Name)?.Value is { Length: > 0 } name ? name : "anonymous";

    internal static ProblemHttpResult Problem(FeedbackRefusal refusal) =>
        TypedResults.Problem(statusCode: refusal.Status, title: refusal.Status == 404 ? "Not found" : "Conflict", detail: refusal.Detail);
}

/// <summary>Body of POST /analyses/{id}/feedback and PUT /feedback/{id}.</summary>
public sealed record FeedbackBody(bool? Helpful = null, string? Category = null, string? Severity = null, bool? ServiceSpecific = null, string? Note = null)
{
    public FeedbackInput ToInput() => new(Helpful, Category, Severity, ServiceSpecific ?? false, Note);
}

public sealed record FeedbackView(
    long Id,
    long AnalysisId,
    string Fingerprint,
    string ServiceName,
    string AnalysisCategory,
    string AnalysisSeverity,
    string Engine,
    bool? Helpful,
    string? Category,
    string? Severity,
    bool ServiceSpecific,
    string? Note,
    string Author,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawnBy,
    bool Active)
{
    public static FeedbackView From(FeedbackEntry e) => new(
        e.Id, e.Subject.AnalysisId, e.Subject.Fingerprint, e.Subject.ServiceName, e.Subject.Category, e.Subject.Severity, e.Subject.Engine,
        e.Input.Helpful, e.Input.Category, e.Input.Severity, e.Input.ServiceSpecific, e.Input.Note,
        e.Author, e.CreatedAt, e.UpdatedAt, e.UpdatedBy, e.WithdrawnAt, e.WithdrawnBy, e.Active);
}

public sealed record FeedbackListView(IReadOnlyList<FeedbackView> Items, string? NextCursor);
