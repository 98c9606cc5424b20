using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Configuration;
using Bifrost.Llm;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Registry;

// In the DI namespace by convention, so the host calls it without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="IAnalyzer"/> that <c>ai.mode</c> (or <c>--engine</c>) selects.</summary>
public static class AnalyzerServiceCollectionExtensions
{
    /// <summary>
    /// builtin | llm | hybrid from <paramref name="engineOverride"/>, else <c>ai.mode</c>, else hybrid when an LLM is
    /// configured (<c>ai.base_url</c>) and builtin when not. Registered last, so it replaces an earlier IAnalyzer.
    /// </summary>
    public static IServiceCollection AddBifrostAnalyzers(this IServiceCollection services, IConfiguration configuration, string? engineOverride = null) =>
        services.AddBifrostAnalyzers(
            configuration.GetSection(AiOptions.Section).Get<AiOptions>() ?? new AiOptions(),
            configuration.GetSection(AnalysisOptions.Section).Get<AnalysisOptions>() ?? new AnalysisOptions(),
            engineOverride);

    /// <summary>The same, from sections already bound (the host binds each section once).</summary>
    public static IServiceCollection AddBifrostAnalyzers(this IServiceCollection services, AiOptions ai, AnalysisOptions analysis, string? engineOverride = null)
    {
        ArgumentNullException.ThrowIfNull(ai);
        var mode = AnalyzerModes.Resolve(engineOverride, ai);
        var deadline = AnalyzerModes.Deadline(ai, analysis);

        services.TryAddSingleton<LogAnalyzer>();
        services.TryAddSingleton<BuiltinAnalyzer>();
        services.TryAddSingleton(TimeProvider.System);
        var profiles = ai.Profiles.Where(p => !string.IsNullOrWhiteSpace(p.Value.BaseUrl)).ToList();
        if (mode == AnalyzerModes.Builtin && profiles.Count == 0)
        {
            services.AddSingleton<IAnalyzer>(sp => sp.GetRequiredService<BuiltinAnalyzer>());
            return services;
        }

        // Polly through Microsoft.Extensions.Resilience: the pipeline's own telemetry (meter "Polly") gets enriched.
        // One pipeline (deadline, concurrency, retries, circuit breaker) per LLM server: one server failing does not open
        // another's breaker.
        services.AddResilienceEnricher();
        LlmMetrics? metrics = null;
        if (mode != AnalyzerModes.Builtin)
        {
            metrics = new LlmMetrics(ai.Provider, ai.Model);
            services.AddSingleton(metrics);
            AddPipeline(services, LlmResilience.PipelineName, ai, deadline, metrics);
        }

        var profileSettings = profiles.Select(p => (Name: p.Key, Options: ProfileOptions(ai, p.Value), PipelineName: $"{LlmResilience.PipelineName}:{p.Key}")).ToList();
        var profileMetrics = profileSettings.ToDictionary(p => p.Name, p => new LlmMetrics(p.Options.Provider, p.Options.Model), StringComparer.OrdinalIgnoreCase);
        foreach (var p in profileSettings)
        {
            AddPipeline(services, p.PipelineName, p.Options, deadline, profileMetrics[p.Name]);
        }

        services.AddSingleton<IAnalyzer>(sp =>
        {
            var loggerFactory = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var logger = loggerFactory.CreateLogger("Bifrost.Llm");
            var engine = sp.GetRequiredService<LogAnalyzer>();
            var time = sp.GetRequiredService<TimeProvider>();
            var pipelines = sp.GetRequiredService<ResiliencePipelineProvider<string>>();
            LlmAnalyzer Llm(AiOptions options, string pipelineName, LlmMetrics llmMetrics, bool environmentKey)
            {
                var chat = LlmChatClientFactory.Create(options, environmentKey: environmentKey);
                return new LlmAnalyzer(engine, new LlmAsker(chat, pipelines.GetPipeline(pipelineName), options, llmMetrics, logger), chat, llmMetrics, options.CacheSize, deadline, time, logger, TimeSpan.FromSeconds(options.CacheTtlSeconds));
            }

            IAnalyzer fallback = sp.GetRequiredService<BuiltinAnalyzer>();
            if (mode != AnalyzerModes.Builtin)
            {
                var llm = Llm(ai, LlmResilience.PipelineName, metrics!, environmentKey: true);
                LlmLog.Configured(logger, mode, ai.Provider, ai.Model, deadline.TotalSeconds);
                fallback = mode == AnalyzerModes.Llm ? llm : new HybridAnalyzer(engine, llm, ai.ConfidenceThreshold, time);
            }

            if (profileSettings.Count == 0)
            {
                return fallback;
            }

            // A request that names a profile wants that model's answer: the profile is asked every time (llm mode).
            var byName = new Dictionary<string, IAnalyzer>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in profileSettings)
            {
                byName[p.Name] = Llm(p.Options, p.PipelineName, profileMetrics[p.Name], environmentKey: false);
                LlmLog.Configured(logger, "profile " + p.Name, p.Options.Provider, p.Options.Model, deadline.TotalSeconds);
            }

            return new ProfileRoutingAnalyzer(fallback, mode != AnalyzerModes.Builtin, byName);
        });
        return services;
    }

    private static void AddPipeline(IServiceCollection services, string name, AiOptions options, TimeSpan deadline, LlmMetrics metrics) =>
        services.AddResiliencePipeline(name, (builder, context) => LlmResilience.Configure(builder, options, deadline, metrics,
            (context.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Bifrost.Llm")));

    /// <summary>A profile's server with every other <c>ai.*</c> setting shared; empty provider/model inherit the default's.</summary>
    internal static AiOptions ProfileOptions(AiOptions ai, AiProfileOptions profile) => new()
    {
        Mode = AnalyzerModes.Llm,
        Provider = string.IsNullOrWhiteSpace(profile.Provider) ? ai.Provider : profile.Provider,
        BaseUrl = profile.BaseUrl,
        Model = string.IsNullOrWhiteSpace(profile.Model) ? ai.Model : profile.Model,
        ApiKey = profile.ApiKey,
        MaxTokens = ai.MaxTokens,
        Temperature = ai.Temperature,
        Timeout = ai.Timeout,
        Language = ai.Language,
        ConfidenceThreshold = ai.ConfidenceThreshold,
        MaxConcurrency = ai.MaxConcurrency,
        CacheSize = ai.CacheSize,
        BuiltinCacheSize = ai.BuiltinCacheSize,
        MaxInputTokens = ai.MaxInputTokens,
        StructuredOutput = ai.StructuredOutput,
        RetryAttempts = ai.RetryAttempts,
        QueueLimit = ai.QueueLimit,
        CircuitBreaker = ai.CircuitBreaker,
    };
}
