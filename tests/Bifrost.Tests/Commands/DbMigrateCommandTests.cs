using Bifrost.Commands;
using Npgsql;

namespace Bifrost.Tests.Operations;

public class DbMigrateCommandTests
{
    [Fact]
    public async Task Migrate_FreshPostgres_CreatesSchemaThenReportsNothingToApply()
    {
        var url = await CreateDatabaseAsync();
        var first = new StringWriter();
        var second = new StringWriter();

        Assert.Equal(0, await DbMigrateCommand.RunAsync(url, first, CancellationToken.None));
        Assert.Equal(0, await DbMigrateCommand.RunAsync(url, second, CancellationToken.None));

        // The newest version, whatever it is now: every branch adding a migration would otherwise edit these lines.
        var latest = Bifrost.Storage.Migrations.Postgres.Max(m => m.Version);
        Assert.Equal($"postgresql: schema migrated from version 0 to {latest}", first.ToString().Trim());
        Assert.Equal($"postgresql: schema at version {latest}, nothing to apply", second.ToString().Trim());
        await using var connection = new NpgsqlConnection(Bifrost.Storage.DatabaseUrl.Parse(url).ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM analyses", connection);
        Assert.Equal(0L, await count.ExecuteScalarAsync()); // the table exists and is usable
    }

    [Fact]
    public async Task Migrate_Sqlite_ReportsVersion()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bifrost-migrate-{Guid.NewGuid():N}.db");
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, await DbMigrateCommand.RunAsync("sqlite:" + path, output, CancellationToken.None));
            var latest = Bifrost.Storage.Migrations.Sqlite.Max(m => m.Version);
            Assert.Equal($"sqlite: schema migrated from version 0 to {latest}", output.ToString().Trim());
            Assert.Equal(latest, await DbMigrateCommand.SchemaVersionAsync("sqlite", path, CancellationToken.None));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    /// <summary>A new empty database on the test PostgreSQL, so "version 0" is really a fresh schema.</summary>
    private static async Task<string> CreateDatabaseAsync()
    {
        var name = "ops_migrate_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(Bifrost.Storage.DatabaseUrl.Parse(TestServices.Postgres).ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new UriBuilder(TestServices.Postgres) { Path = "/" + name };
        return builder.Uri.ToString();
    }
}
