using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Api;
using Bifrost.Configuration;
using Bifrost.Heimdall;
using Bifrost.Knowledge;
using Bifrost.Messaging;
using Bifrost.Pipeline;
using Bifrost.Storage;

namespace Bifrost.Commands;

/// <summary>Builds the `serve` host: each capability registers itself with one extension method.</summary>
internal static class BifrostHost
{
    /// <param name="environment">Variables to read configuration from; null = this process's environment (after loading ./.env).</param>
    /// <param name="overrideServices">Tests replace real services here (e.g. a failing analyzer); applied last.</param>
    public static WebApplication Build(string? configFile, string[] args, IReadOnlyDictionary<string, string>? environment = null, Action<IServiceCollection>? overrideServices = null)
    {
        // Configuration is read once (config.yaml, .env, environment); the default appsettings.json reload would
        // only add a file watcher on the working directory that wakes on every file written there.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"] });
        builder.AddBifrostConfiguration(configFile, environment, args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
        {
            builder.WebHost.UseUrls("http://localhost:8080");
        }

        builder.AddBifrostLogging();
        builder.Services.AddSingleton<LogAnalyzer>();
        builder.Services.AddSingleton<IAnalyzer, BuiltinAnalyzer>();
        // ai.mode: builtin | llm | hybrid (replaces the IAnalyzer above)
        builder.Services.AddBifrostAnalyzers(builder.Services.BoundSection<AiOptions>(), builder.Services.BoundSection<AnalysisOptions>());
        builder.AddBifrostStorage();
        builder.AddBifrostKnowledge(); // after storage: loads team knowledge before the Kafka worker starts
        builder.AddAnalysisPipeline();
        builder.AddKafkaWorker();
        builder.AddHeimdallReleases();
        builder.AddBifrostApi();
        builder.AddBifrostIncidents();
        builder.AddBifrostTelemetry();

        overrideServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapBifrostTelemetry();
        app.MapBifrostApi();
        app.MapHeimdallRoutes();
        app.MapBifrostIncidents();
        app.MapBifrostDashboard();
        app.MapBifrostKnowledge();
        return app;
    }
}
