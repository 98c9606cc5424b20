using Bifrost.Common;
using Bifrost.Configuration;

namespace Bifrost.Storage;

internal static class StorageRegistration
{
    /// <summary>The store named by database.url (SQLite bifrost.db when empty), its write batcher, and its migration on start.</summary>
    public static WebApplicationBuilder AddBifrostStorage(this WebApplicationBuilder builder)
    {
        var options = builder.AddBifrostSection<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.Section);
        var services = builder.Services;
        // Completed analyses also update their incidents (incidents.enabled), in the same write.
        var incidents = builder.AddBifrostSection<Incidents.IncidentOptions, Incidents.IncidentOptionsValidator>(Incidents.IncidentOptions.Section);
        services.AddSingleton<IAnalysisStore>(_ => DatabaseUrl.CreateStore(options.Url, options.PoolSize, incidents.Enabled));
        services.AddSingleton(sp => new StoreWriteBatcher(sp.GetRequiredService<IAnalysisStore>()));
        // Registered before the Kafka worker: hosted services start in order, so the schema exists first.
        services.AddHostedService<StoreMigrator>();
        return builder;
    }
}

/// <summary>Creates/migrates the schema on start; waits (with backoff) for a database that is not up yet.</summary>
internal sealed partial class StoreMigrator(IAnalysisStore store, ILogger<StoreMigrator> logger) : IHostedService
{
    private static readonly Backoff Backoff = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
                LogReady(store.Provider);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < 30)
            {
                var backoff = Backoff.Delay(attempt);
                LogWaiting(store.Provider, attempt, backoff.TotalSeconds, ex.Message);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Storage ready ({Provider}, schema migrated)")]
    private partial void LogReady(string provider);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Storage ({Provider}) not reachable (attempt {Attempt}), retrying in {BackoffSeconds}s: {Error}")]
    private partial void LogWaiting(string provider, int attempt, double backoffSeconds, string error);
}
