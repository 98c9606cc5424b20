using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Api;

namespace Bifrost.Commands;

/// <summary>Builds the `serve` host: each capability registers itself with one extension method.</summary>
internal static class BifrostHost
{
    public static WebApplication Build(string? configFile, string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        _ = configFile; // configuration loading lands with the pipeline
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
        {
            builder.WebHost.UseUrls("http://localhost:8080");
        }

        builder.Services.AddSingleton<LogAnalyzer>();
        builder.Services.AddSingleton<IAnalyzer, BuiltinAnalyzer>();
        builder.AddBifrostApi();
        builder.AddBifrostTelemetry();

        var app = builder.Build();
        app.MapBifrostTelemetry();
        app.MapBifrostApi();
        app.MapBifrostDashboard();
        return app;
    }
}
