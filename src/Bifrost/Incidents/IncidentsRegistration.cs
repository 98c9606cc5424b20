using Bifrost.Api.Export;
using Bifrost.Api.Health;
using Bifrost.Incidents;
using Bifrost.Notifications;
using Microsoft.Extensions.Options;

// In the hosting namespace (as the telemetry and dashboard registrations are) so BifrostHost needs no using line.
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Incidents, notifications and export in two calls: <c>builder.AddBifrostIncidents()</c> before <c>Build()</c>,
/// <c>app.MapBifrostIncidents()</c> after the API (its authentication and rate limits apply to these routes too).
/// </summary>
public static class IncidentsRegistration
{
    public static WebApplicationBuilder AddBifrostIncidents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IncidentOptions>().BindConfiguration(IncidentOptions.Section).ValidateOnStart();
        services.AddOptions<NotifyOptions>().BindConfiguration(NotifyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IncidentOptions>, IncidentOptionsValidator>();
        services.AddSingleton<IValidateOptions<NotifyOptions>, NotifyOptionsValidator>();
        services.AddSingleton(sp => new IncidentStore(sp.GetRequiredService<Bifrost.Api.Keys.KeyDatabase>(), sp.GetRequiredService<IOptions<IncidentOptions>>().Value));
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<NotificationChannels>();
        services.AddHttpClient(NotificationSender.HttpClientName, (sp, http) =>
            http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<NotifyOptions>>().Value.TimeoutSeconds));
        // Transitions are dispatched even without channels (they are marked handled), so adding a channel later does
        // not replay the past. With incidents off there are no transitions at all.
        if (builder.Configuration.GetSection(IncidentOptions.Section).Get<IncidentOptions>() is not { Enabled: false })
        {
            services.AddHostedService<NotificationSender>();
        }

        services.AddHealthChecks().AddCheck<NotificationHealthCheck>("notifications", tags: [HealthChecks.Ready]);
        return builder;
    }

    public static WebApplication MapBifrostIncidents(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireRateLimiting(Bifrost.Api.Auth.RateLimits.PerKey)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapIncidentsApi();
        api.MapExportApi();
        return app;
    }
}
