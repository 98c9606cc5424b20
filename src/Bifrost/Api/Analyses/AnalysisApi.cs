using System.Security.Claims;
using Bifrost.Api.Auth;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bifrost.Api.Analyses;

/// <summary>Submit an analysis (now or in the background) and read one back.</summary>
public static class AnalysisApi
{
    public static RouteGroupBuilder MapAnalysisApi(this RouteGroupBuilder api)
    {
        api.MapPost("/analysis/request", AcceptAsync)
            .RequireAuthorization(Policies.Write)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Accept a log excerpt for analysis in the background")
            .WithDescription("Answers 202 with the analysis id at once; the analysis runs through the same pipeline as Kafka requests. Poll /analysis/result/{analysis_id} or subscribe on /ws.");
        api.MapGet("/analysis/result/{analysisId}", GetAsync)
            .RequireAuthorization(Policies.Read)
            .WithName("GetAnalysisResult")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A stored analysis: status, request fields and (once COMPLETED) the result");
        api.MapPost("/analysis", AnalyzeNowAsync)
            .RequireAuthorization(Policies.Write)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .WithSummary("Analyse a log excerpt now and return the result");
        return api;
    }

    public static async Task<Results<Accepted<AcceptedAnalysis>, ValidationProblem, ProblemHttpResult>> AcceptAsync(
        AnalysisRequestBody body, ClaimsPrincipal user, ApiAnalysisRunner runner, BackgroundAnalyses background, CancellationToken ct)
    {
        var errors = body.Validate();
        if (errors.Count > 0) return Invalid(errors);

        // Admitted (redacted) here: the background queue holds it until a worker hands it to the pipeline.
        var submission = SubmissionBoundary.Admit(body.ToSubmission(AnalysisSources.Rest, ApiCaller.Of(user)));
        var stored = await runner.SubmitAsync(submission, ct).ConfigureAwait(false);
        var analysis = stored.Analysis;
        if (!stored.Created && SubmissionBoundary.Conflicts(analysis, submission)) return Conflict(analysis);
        // A new request, or one left RECEIVED by a restart or a full queue, is (re)queued; a repeated
        // request_id that is already being or has been analysed is just answered with its id.
        if ((stored.Created || analysis.Status == AnalysisStatus.RECEIVED) && !background.TryEnqueue(submission))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Analysis queue full",
                detail: $"too many analyses are waiting (api.background_queue); retry later with the same request_id '{analysis.RequestId}'");
        }

        var message = stored.Created
            ? "Accepted: the analysis runs in the background."
            : $"Already received (request_id '{analysis.RequestId}', status {analysis.Status}).";
        return TypedResults.Accepted(
            $"/api/v1/analysis/result/{analysis.Id}",
            new AcceptedAnalysis(analysis.Id, "ACCEPTED", message, analysis.RequestId));
    }

    public static async Task<Results<Ok<AnalysisView>, ProblemHttpResult>> GetAsync(long analysisId, IAnalysisStore store, CancellationToken ct)
    {
        var analysis = await store.GetAsync(analysisId, ct).ConfigureAwait(false);
        return analysis is null
            ? NotFound($"no analysis with id {analysisId}")
            : TypedResults.Ok(AnalysisView.From(analysis, includeLogContent: true));
    }

    public static async Task<Results<Ok<AnalysisView>, ValidationProblem, ProblemHttpResult>> AnalyzeNowAsync(
        AnalysisRequestBody body, ClaimsPrincipal user, ApiAnalysisRunner runner, CancellationToken ct)
    {
        var errors = body.Validate();
        if (errors.Count > 0) return Invalid(errors);

        var result = await runner.ProcessAsync(body.ToSubmission(AnalysisSources.Rest, ApiCaller.Of(user)), ct).ConfigureAwait(false);
        if (result.Conflict) return Conflict(result.Analysis);
        var analysis = result.Analysis;
        if (analysis.Status == AnalysisStatus.FAILED)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Analysis failed",
                detail: analysis.Error,
                extensions: new Dictionary<string, object?> { ["analysis_id"] = analysis.Id });
        }

        return TypedResults.Ok(AnalysisView.From(analysis, includeLogContent: true));
    }

    internal static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Invalid request", detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));

    /// <summary>The caller's request_id is stored with other content: 409, naming the id and nothing of either request.</summary>
    internal static ProblemHttpResult Conflict(StoredAnalysis stored) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "request_id already used",
            detail: $"request_id '{stored.RequestId}' was already used by this caller for a different request; send a new request_id (a retry must repeat the same content)",
            extensions: new Dictionary<string, object?> { ["analysis_id"] = stored.Id });

    internal static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
