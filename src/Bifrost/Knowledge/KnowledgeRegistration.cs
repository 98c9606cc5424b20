using Bifrost.Analysis;
using Bifrost.Api.Auth;
using Bifrost.Ask;
using Bifrost.Configuration;
using Bifrost.Feedback;
using Bifrost.Pipeline;
using Bifrost.Runbooks;
using Microsoft.Extensions.Options;

namespace Bifrost.Knowledge;

/// <summary>
/// Team knowledge in every answer (issue 16): feedback that corrects the next analysis, runbooks cited in it, and
/// questions answered from both. <c>builder.AddBifrostKnowledge()</c> right after storage (its refresher loads what
/// the pipeline applies before the Kafka worker starts), <c>app.MapBifrostKnowledge()</c> after the API.
/// </summary>
public static class KnowledgeRegistration
{
    public static WebApplicationBuilder AddBifrostKnowledge(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KnowledgeOptions>, KnowledgeOptionsValidator>();
        services.AddSingleton(sp => KnowledgeDatabase.FromUrl(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Url));
        services.AddSingleton<IFeedbackStore>(sp => sp.GetRequiredService<KnowledgeDatabase>() is { IsPostgres: true } db ? new PostgresFeedbackStore(db) : new SqliteFeedbackStore(sp.GetRequiredService<KnowledgeDatabase>()));
        services.AddSingleton<IRunbookStore>(sp => sp.GetRequiredService<KnowledgeDatabase>() is { IsPostgres: true } db ? new PostgresRunbookStore(db) : new SqliteRunbookStore(sp.GetRequiredService<KnowledgeDatabase>()));
        services.AddSingleton<CorrectionBook>();
        services.AddSingleton<RunbookLookup>();
        services.AddSingleton<RunbookImporter>();
        services.AddSingleton<FeedbackService>();
        services.AddSingleton<PastAnalysisSearch>();
        services.AddSingleton(sp => new AskService(
            sp.GetRequiredService<IRunbookStore>(), sp.GetRequiredService<PastAnalysisSearch>(), sp.GetRequiredService<LogAnalyzer>(),
            sp.GetRequiredService<IOptions<AiOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AskService>>()));
        services.AddSingleton<KnowledgeRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<KnowledgeRefresher>());

        // Order matters: a correction changes the category the runbook lookup then searches by.
        services.AddSingleton<IAnalysisEnricher, FeedbackEnricher>();
        services.AddSingleton<IAnalysisEnricher, RunbookEnricher>();
        return builder;
    }

    public static WebApplication MapBifrostKnowledge(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireRateLimiting(RateLimits.PerKey).WithTags("Knowledge")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapFeedbackApi();
        api.MapRunbooksApi();
        api.MapAskApi();
        app.MapGrpcService<FeedbackGrpcService>().RequireRateLimiting(RateLimits.PerKey);
        return app;
    }
}

internal sealed class KnowledgeOptionsValidator : IValidateOptions<KnowledgeOptions>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeOptions o)
    {
        var errors = new List<string>();
        if (o.RefreshSeconds is <= 0 or > 3600) errors.Add("knowledge.refresh_seconds must be greater than 0 and at most 3600");
        if (o.NotesShown is < 0 or > 10) errors.Add("knowledge.notes_shown must be between 0 and 10");
        if (o.Runbooks.MinScore is < 0 or > 1) errors.Add("knowledge.runbooks.min_score must be between 0 and 1");
        if (o.Runbooks.MaxCitations is < 1 or > 10) errors.Add("knowledge.runbooks.max_citations must be between 1 and 10");
        if (o.Runbooks.QuoteChars is < 40 or > 2000) errors.Add("knowledge.runbooks.quote_chars must be between 40 and 2000");
        if (o.Runbooks.CacheSize < 0) errors.Add("knowledge.runbooks.cache_size must be 0 or more");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
