using System.CommandLine;
using Bifrost.Configuration;
using Bifrost.Storage;
using Microsoft.Extensions.Configuration;

namespace Bifrost.Knowledge;

/// <summary>
/// What the knowledge commands (<c>runbooks</c>, <c>feedback</c>, <c>ask</c>) share: the database <c>serve</c> uses
/// (<c>--database-url</c>, else <c>database.url</c> / DATABASE_URL from the configuration <c>serve</c> reads), migrated
/// before use. They work on the database directly, like <c>keys</c>: a running service notices the change within
/// <c>knowledge.refresh_seconds</c>.
/// </summary>
internal static class KnowledgeCli
{
    public static Option<FileInfo?> Config() => new("--config") { Description = "config.yaml to read (default: $BIFROST_CONFIG, then ./config.yaml if present)" };

    public static Option<string?> DatabaseUrl() => new("--database-url") { Description = "postgresql://… or sqlite:PATH (default: database.url / $DATABASE_URL, else the embedded bifrost.db)" };

    /// <summary>The configuration <c>serve</c> would read.</summary>
    public static IConfiguration Configuration(string? configFile)
    {
        var environment = BifrostConfiguration.ProcessEnvironment();
        var file = BifrostConfiguration.ResolveConfigFile(configFile, n => environment.TryGetValue(n, out var v) ? v : null, Directory.GetCurrentDirectory());
        return BifrostConfiguration.Build(file, environment);
    }

    /// <summary>Opens (and migrates) the database: <paramref name="url"/>, else the configured one.</summary>
    public static async Task<KnowledgeDatabase> OpenAsync(string? url, string? configFile, CancellationToken cancellationToken)
    {
        url ??= Configuration(configFile)["database:url"];
        var store = Storage.DatabaseUrl.CreateStore(url);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }

        return KnowledgeDatabase.FromUrl(url, poolSize: 2);
    }

    /// <summary>Who the CLI records as author: <c>--by</c>, else "cli:" + the OS user.</summary>
    public static string Author(string? by) => string.IsNullOrWhiteSpace(by) ? "cli:" + Environment.UserName : by.Trim();
}
