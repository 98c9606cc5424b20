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
        if (mode == AnalyzerModes.Builtin)
        {
            services.AddSingleton<IAnalyzer>(sp => sp.GetRequiredService<BuiltinAnalyzer>());
            return services;
        }

        // Polly through Microsoft.Extensions.Resilience: the pipeline's own telemetry (meter "Polly") gets enriched.
        var metrics = new LlmMetrics(ai.Provider, ai.Model);
        services.AddSingleton(metrics);
        services.AddResilienceEnricher();
        services.AddResiliencePipeline(LlmResilience.PipelineName, (builder, context) => LlmResilience.Configure(builder, ai, deadline, metrics,
            (context.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Bifrost.Llm")));
        services.AddSingleton<IAnalyzer>(sp =>
        {
            var loggerFactory = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var logger = loggerFactory.CreateLogger("Bifrost.Llm");
            var chat = LlmChatClientFactory.Create(ai);
            var pipeline = sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(LlmResilience.PipelineName);
            var engine = sp.GetRequiredService<LogAnalyzer>();
            var time = sp.GetRequiredService<TimeProvider>();
            var llm = new LlmAnalyzer(engine, new LlmAsker(chat, pipeline, ai, metrics, logger), chat, metrics, ai.CacheSize, deadline, time, logger);
            LlmLog.Configured(logger, mode, ai.Provider, ai.Model, deadline.TotalSeconds);
            return mode == AnalyzerModes.Llm ? llm : new HybridAnalyzer(engine, llm, ai.ConfidenceThreshold, time);
        });
        return services;
    }
}
