using Bifrost.Api.Export;
using Bifrost.Api.Health;
using Bifrost.Incidents;
using Bifrost.Notifications;
using Bifrost.Configuration;

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
        var incidents = builder.AddBifrostSection<IncidentOptions, IncidentOptionsValidator>(IncidentOptions.Section);
        var notify = builder.AddBifrostSection<NotifyOptions, NotifyOptionsValidator>(NotifyOptions.Section);
        var services = builder.Services;
        services.AddSingleton(sp => new IncidentStore(sp.GetRequiredService<Bifrost.Api.Keys.KeyDatabase>(), incidents));
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<NotificationChannels>();
        services.AddHttpClient(NotificationSender.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(notify.TimeoutSeconds));
        // Transitions are dispatched even without channels (they are marked handled), so adding a channel later does
        // not replay the past. With incidents off there are no transitions at all.
        if (incidents.Enabled)
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
