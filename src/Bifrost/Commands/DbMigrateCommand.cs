using System.CommandLine;
using System.Data.Common;
using Bifrost.Configuration;
using Bifrost.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bifrost.Commands;

/// <summary>
/// <c>bifrost db migrate</c>: applies the analysis store's pending schema migrations (the same ones <c>serve</c>
/// applies on start) and reports the schema version before and after. Run it before rolling out a release
/// when start-up migrations are not wanted (docs/operations.md#upgrade).
/// </summary>
internal static class DbMigrateCommand
{
    public static Command Create()
    {
        var config = KafkaCli.Config();
        var url = new Option<string?>("--database-url") { Description = "postgresql://… or sqlite:PATH (default: database.url / $DATABASE_URL, else the embedded bifrost.db)" };
        var migrate = new Command("migrate", "Create or migrate the analysis store schema and print its version.") { config, url };
        migrate.SetAction((parse, ct) => KafkaCli.GuardAsync(() => RunAsync(parse.GetValue(url) ?? ConfiguredUrl(parse.GetValue(config)?.FullName), Console.Out, ct)));
        return new Command("db", "Analysis store maintenance.") { migrate };
    }

    /// <summary><c>database.url</c> from the configuration <c>serve</c> would read (DATABASE_URL included).</summary>
    private static string? ConfiguredUrl(string? configFile)
    {
        var environment = BifrostConfiguration.ProcessEnvironment();
        var file = BifrostConfiguration.ResolveConfigFile(configFile, n => environment.TryGetValue(n, out var v) ? v : null, Directory.GetCurrentDirectory());
        return BifrostConfiguration.Build(file, environment)["database:url"];
    }

    public static async Task<int> RunAsync(string? databaseUrl, TextWriter output, CancellationToken cancellationToken)
    {
        var (provider, connectionString) = DatabaseUrl.Parse(databaseUrl);
        var before = await SchemaVersionAsync(provider, connectionString, cancellationToken).ConfigureAwait(false);
        var store = DatabaseUrl.CreateStore(databaseUrl);
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

        var after = await SchemaVersionAsync(provider, connectionString, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(before == after
            ? $"{provider}: schema at version {after}, nothing to apply"
            : $"{provider}: schema migrated from version {before} to {after}").ConfigureAwait(false);
        return 0;
    }

    /// <summary>The highest applied migration, 0 for an empty database.</summary>
    public static async Task<int> SchemaVersionAsync(string provider, string connectionString, CancellationToken cancellationToken)
    {
        await using DbConnection connection = provider == "sqlite" ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = connectionString }.ToString()) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = provider == "sqlite"
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bifrost_schema_migrations'"
            : "SELECT count(*) FROM information_schema.tables WHERE table_name = 'bifrost_schema_migrations' AND table_schema = current_schema()";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT coalesce(max(version), 0) FROM bifrost_schema_migrations";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
