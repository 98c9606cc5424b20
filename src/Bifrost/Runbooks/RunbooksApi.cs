using System.Security.Claims;
using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Bifrost.Feedback;
using Bifrost.Knowledge;
using Bifrost.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bifrost.Runbooks;

/// <summary>Runbooks: add (a markdown file, replacing its earlier version), list, read, remove; and what an analysis cited.</summary>
public static class RunbooksApi
{
    public static RouteGroupBuilder MapRunbooksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/runbooks", AddAsync)
            .RequireAuthorization(Policies.Write)
            .WithSummary("Add a markdown runbook: split into sections at its headings, stored under its source path (replacing that path's previous sections)");
        api.MapGet("/runbooks", ListAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("Runbook files: source path, number of sections, when and by whom they were added");
        api.MapDelete("/runbooks", RemoveAsync)
            .RequireAuthorization(Policies.Write)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Remove a runbook file's sections (?source=PATH)");
        api.MapGet("/runbooks/sections", SectionsAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("Runbook sections (all, or one file's with ?source=PATH), with the failure category each is about");
        api.MapGet("/runbooks/sections/{id}", SectionAsync)
            .RequireAuthorization(Policies.Read)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One runbook section");
        api.MapGet("/analyses/{analysisId}/citations", CitationsAsync)
            .RequireAuthorization(Policies.Read)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The runbook sections an analysis cited (title, source, score, quote), best first");
        return api;
    }

    public static async Task<Results<Created<RunbookImportView>, ValidationProblem>> AddAsync(
        RunbookBody body, RunbookImporter importer, IRunbookStore store, KnowledgeRefresher refresher, TimeProvider time, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(body.Source)) errors["source"] = ["is required: the runbook's path, e.g. runbooks/databases.md (re-adding the same path replaces it)"];
        if (body.Markdown is null) errors["markdown"] = ["is required"];
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        RunbookImport import;
        try
        {
            import = await importer.ImportAsync(body.Source!, body.Markdown!, FeedbackApi.Author(user), time.GetUtcNow(), ct).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return AnalysisApi.Invalid(new() { [ex.ParamName == "sourcePath" ? "source" : "markdown"] = [ex.Message.Split(" (Parameter", 2)[0]] });
        }

        await refresher.ChangedAsync(KnowledgeVersions.Runbooks, ct).ConfigureAwait(false);
        var sections = await store.ListSectionsAsync(import.SourcePath, ct).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/runbooks/sections?source={Uri.EscapeDataString(import.SourcePath)}",
            new RunbookImportView(import.SourcePath, import.Removed, import.Added, [.. sections.Select(s => RunbookSectionView.From(s, includeBody: false))]));
    }

    public static async Task<Ok<RunbookSourceListView>> ListAsync(IRunbookStore store, CancellationToken ct) =>
        TypedResults.Ok(new RunbookSourceListView(await store.ListSourcesAsync(ct).ConfigureAwait(false)));

    public static async Task<Results<Ok<RunbookRemovedView>, ValidationProblem, ProblemHttpResult>> RemoveAsync(
        IRunbookStore store, KnowledgeRefresher refresher, CancellationToken ct, string? source = null)
    {
        if (string.IsNullOrWhiteSpace(source)) return AnalysisApi.Invalid(new() { ["source"] = ["is required: the path the runbook was added under"] });
        if (Path(source) is not { } path) return AnalysisApi.Invalid(new() { ["source"] = [$"must be at most {RunbookImporter.MaxSourcePathChars} printable characters"] });
        var removed = await store.RemoveSourceAsync(path, ct).ConfigureAwait(false);
        if (removed == 0) return AnalysisApi.NotFound($"no runbook stored under '{path}'");
        await refresher.ChangedAsync(KnowledgeVersions.Runbooks, ct).ConfigureAwait(false);
        return TypedResults.Ok(new RunbookRemovedView(path, removed));
    }

    public static async Task<Results<Ok<RunbookSectionListView>, ValidationProblem>> SectionsAsync(IRunbookStore store, CancellationToken ct, string? source = null)
    {
        var path = source is null ? null : Path(source);
        if (source is not null && path is null) return AnalysisApi.Invalid(new() { ["source"] = [$"must be at most {RunbookImporter.MaxSourcePathChars} printable characters"] });
        return TypedResults.Ok(new RunbookSectionListView([.. (await store.ListSectionsAsync(path, ct).ConfigureAwait(false)).Select(s => RunbookSectionView.From(s, includeBody: true))]));
    }

    private static string? Path(string source)
    {
        try
        {
            return RunbookImporter.NormalizePath(source);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static async Task<Results<Ok<RunbookSectionView>, ProblemHttpResult>> SectionAsync(long id, IRunbookStore store, CancellationToken ct) =>
        await store.GetSectionAsync(id, ct).ConfigureAwait(false) is { } section
            ? TypedResults.Ok(RunbookSectionView.From(section, includeBody: true))
            : AnalysisApi.NotFound($"no runbook section with id {id}");

    public static async Task<Results<Ok<CitationListView>, ProblemHttpResult>> CitationsAsync(long analysisId, IAnalysisStore analyses, IRunbookStore store, CancellationToken ct)
    {
        var analysis = await analyses.GetAsync(analysisId, ct).ConfigureAwait(false);
        if (analysis is null) return AnalysisApi.NotFound($"no analysis with id {analysisId}");
        if (analysis.Result is not { } result) return TypedResults.Ok(new CitationListView([]));
        var key = RunbookLookup.Key(result.Category, result.Fingerprint, analysis.Request.ServiceName);
        return TypedResults.Ok(new CitationListView(await store.GetCitationsAsync(key, result.ResultAt, ct).ConfigureAwait(false)));
    }
}

/// <summary>Body of POST /runbooks.</summary>
/// <param name="Source">Where the runbook lives (e.g. runbooks/databases.md); re-adding the same source replaces its sections.</param>
public sealed record RunbookBody(string? Source, string? Markdown);

public sealed record RunbookSectionView(long Id, string Source, int Position, string Title, string Anchor, string? Category, DateTimeOffset AddedAt, string AddedBy, string? Body)
{
    public static RunbookSectionView From(RunbookSection s, bool includeBody) =>
        new(s.Id, s.SourcePath, s.Position, s.Title, s.Anchor, s.Category, s.AddedAt, s.AddedBy, includeBody ? s.Body : null);
}

public sealed record RunbookImportView(string Source, int Removed, int Added, IReadOnlyList<RunbookSectionView> Sections);

public sealed record RunbookSourceListView(IReadOnlyList<RunbookSource> Items);

public sealed record RunbookSectionListView(IReadOnlyList<RunbookSectionView> Items);

public sealed record RunbookRemovedView(string Source, int Removed);

public sealed record CitationListView(IReadOnlyList<Citation> Items);
