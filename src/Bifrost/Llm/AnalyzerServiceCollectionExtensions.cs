using System.Diagnostics.Metrics;
using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace Bifrost.Llm;

/// <summary>Registers the <see cref="IAnalyzer"/> that <c>ai.mode</c> (or <c>--engine</c>) selects.</summary>
public static class AnalyzerServiceCollectionExtensions
{
    /// <summary>
    /// builtin | llm | hybrid from <paramref name="engineOverride"/>, else <c>ai.mode</c>, else hybrid when an LLM is
    /// configured (<c>ai.base_url</c>) and builtin when not. Registered last, so it replaces an earlier IAnalyzer.
    /// </summary>
    public static IServiceCollection AddBifrostAnalyzers(this IServiceCollection services, IConfiguration configuration, string? engineOverride = null)
    {
        var ai = configuration.GetSection(AiOptions.Section).Get<AiOptions>() ?? new AiOptions();
        var heimdall = configuration.GetSection(HeimdallOptions.Section).Get<HeimdallOptions>() ?? new HeimdallOptions();
        var mode = AnalyzerModes.Resolve(engineOverride, ai);
        var deadline = AnalyzerModes.Deadline(ai, heimdall);

        services.TryAddSingleton<LogAnalyzer>();
        services.TryAddSingleton<BuiltinAnalyzer>();
        services.TryAddSingleton(TimeProvider.System);
        if (mode == AnalyzerModes.Builtin)
        {
            services.AddSingleton<IAnalyzer>(sp => sp.GetRequiredService<BuiltinAnalyzer>());
            return services;
        }

        // Polly through Microsoft.Extensions.Resilience: the pipeline's own telemetry (meter "Polly") gets enriched.
        var breakerState = new CircuitBreakerStateProvider();
        services.AddResilienceEnricher();
        services.AddResiliencePipeline(LlmResilience.PipelineName, (builder, _) => LlmResilience.Configure(builder, ai, deadline, breakerState));
        services.AddSingleton<IAnalyzer>(sp =>
        {
            var loggerFactory = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var logger = loggerFactory.CreateLogger("Bifrost.Llm");
            var metrics = new LlmMetrics(sp.GetService<IMeterFactory>(), breakerState);
            var chat = LlmChatClientFactory.Create(ai);
            var pipeline = sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(LlmResilience.PipelineName);
            var engine = sp.GetRequiredService<LogAnalyzer>();
            var llm = new LlmAnalyzer(engine, new LlmAsker(chat, pipeline, ai, metrics, logger), chat, metrics,
                ai.CacheSize, deadline, sp.GetRequiredService<TimeProvider>(), logger);
            LlmLog.Configured(logger, mode, ai.Provider, ai.Model, deadline.TotalSeconds);
            return mode == AnalyzerModes.Llm ? llm : new HybridAnalyzer(engine, llm, ai.ConfidenceThreshold);
        });
        return services;
    }
}

/// <summary>The three analyzer modes and the per-request LLM deadline.</summary>
public static class AnalyzerModes
{
    public const string Builtin = "builtin";
    public const string Llm = "llm";
    public const string Hybrid = "hybrid";

    public static string Resolve(string? engineOverride, AiOptions ai)
    {
        var requested = (string.IsNullOrWhiteSpace(engineOverride) ? ai.Mode : engineOverride).Trim().ToLowerInvariant();
        var mode = requested switch
        {
            "" => string.IsNullOrWhiteSpace(ai.BaseUrl) ? Builtin : Hybrid,
            Builtin or Llm or Hybrid => requested,
            _ => throw new InvalidOperationException($"ai.mode must be builtin, llm or hybrid, not '{requested}'"),
        };
        if (mode != Builtin && string.IsNullOrWhiteSpace(ai.BaseUrl))
        {
            throw new InvalidOperationException($"ai.base_url is required for ai.mode {mode} (e.g. http://localhost:11434 for Ollama)");
        }

        return mode;
    }

    /// <summary>The shorter of <c>ai.timeout</c> and <c>heimdall.timeout_seconds</c>: the LLM never eats the whole request budget.</summary>
    public static TimeSpan Deadline(AiOptions ai, HeimdallOptions heimdall)
    {
        var seconds = Math.Min(ai.Timeout > 0 ? ai.Timeout : 20, heimdall.TimeoutSeconds > 0 ? heimdall.TimeoutSeconds : double.MaxValue);
        return TimeSpan.FromSeconds(Math.Max(0.05, seconds));
    }
}
