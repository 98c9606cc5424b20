using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Bifrost.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bifrost.Api.Export;

/// <summary><c>GET /api/v1/analyses/export?format=csv|jsonl&amp;…</c>: the history's filters, every matching row, streamed.</summary>
public static class ExportApi
{
    public static RouteGroupBuilder MapExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analyses/export", Export).RequireAuthorization(Policies.Read).WithTags("Analysis")
            .WithSummary("All matching analyses as CSV or JSON Lines (format=csv|jsonl), newest first, streamed (no size limit)")
            .WithDescription("Filters as GET /api/v1/analyses: service, environment, severity, category, status, from/to, q, fingerprint; limit = most rows (default: all). Log excerpts are not included.");
        return api;
    }

    public static Results<PushStreamHttpResult, ValidationProblem> Export(
        IAnalysisStore store, HttpContext http,
        string? format = null, string? service = null, string? environment = null, string? severity = null, string? category = null,
        string? status = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string? q = null, string? fingerprint = null, long? limit = null)
    {
        var (query, errors) = HistoryApi.Query(service, environment, severity, category, status, from, to, q, fingerprint, 500, null);
        if (!ExportWriter.TryParseFormat(format, out var parsed)) errors["format"] = ["must be csv or jsonl"];
        if (limit is < 1) errors["limit"] = ["must be at least 1"];
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        return TypedResults.Stream(
            stream => ExportWriter.WriteAnalysesAsync(store, query, limit, parsed, stream, http.RequestAborted),
            ExportWriter.ContentType(parsed), $"analyses.{(parsed == ExportFormat.Csv ? "csv" : "jsonl")}");
    }
}
