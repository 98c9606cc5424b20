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
        builder.AddBifrostSection<KnowledgeOptions, KnowledgeOptionsValidator>(KnowledgeOptions.Section);
        var database = builder.Services.BoundSection<DatabaseOptions>();
        var services = builder.Services;
        services.AddSingleton(_ => KnowledgeDatabase.FromUrl(database.Url));
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
        var f = new List<string>();
        Check.Positive(f, "knowledge.refresh_seconds", o.RefreshSeconds);
        Between(f, "knowledge.refresh_seconds", o.RefreshSeconds, 0, 3600);
        Between(f, "knowledge.notes_shown", o.NotesShown, 0, 10);
        Between(f, "knowledge.runbooks.min_score", o.Runbooks.MinScore, 0, 1);
        Between(f, "knowledge.runbooks.max_citations", o.Runbooks.MaxCitations, 1, 10);
        Between(f, "knowledge.runbooks.quote_chars", o.Runbooks.QuoteChars, 40, 2000);
        Check.AtLeast(f, "knowledge.runbooks.cache_size", o.Runbooks.CacheSize, 0);
        return Check.Result(f);
    }

    private static void Between(List<string> failures, string key, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            failures.Add($"{key} must be between {min.ToString(c)} and {max.ToString(c)} (got {value.ToString(c)})");
        }
    }
}
