using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bifrost.Ask;

/// <summary><c>POST /api/v1/ask</c>: a free question answered from the runbooks and past analyses.</summary>
public static class AskApi
{
    public static RouteGroupBuilder MapAskApi(this RouteGroupBuilder api)
    {
        api.MapPost("/ask", AskAsync)
            .RequireAuthorization(Policies.Read)
            .WithSummary("Answer a question from the team's runbooks and past analyses (sections and analyses cited)")
            .WithDescription("With an LLM configured (ai.mode llm/hybrid) the answer is written from the cited sources only; otherwise the best matching sections and analyses are quoted.");
        return api;
    }

    public static async Task<Results<Ok<AskAnswer>, ValidationProblem>> AskAsync(AskBody body, AskService ask, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var question = body.Question?.Trim() ?? "";
        if (question.Length is < 3 or > AskService.MaxQuestionChars) errors["question"] = [$"must be 3 to {AskService.MaxQuestionChars} characters"];
        var language = string.IsNullOrWhiteSpace(body.Language) ? "en" : body.Language.Trim().ToLowerInvariant();
        if (language is not ("en" or "ko")) errors["language"] = ["must be en or ko"];
        if (errors.Count > 0) return AnalysisApi.Invalid(errors);
        return TypedResults.Ok(await ask.AnswerAsync(question, language, ct).ConfigureAwait(false));
    }
}

public sealed record AskBody(string? Question, string? Language = null);
