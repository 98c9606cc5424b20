using Npgsql;

namespace Bifrost.Tests;

/// <summary>A fresh PostgreSQL schema on the test server, dropped on dispose: tests never see each other's rows.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string schema, string url)
    {
        Schema = schema;
        Url = url;
    }

    public string Schema { get; }

    /// <summary>postgresql:// URL whose search_path is the fresh schema.</summary>
    public string Url { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var source = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(TestServices.Postgres).ConnectionString);
        await using (var command = source.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new TestDatabase(schema, TestServices.Postgres + (TestServices.Postgres.Contains('?') ? "&" : "?") + "search_path=" + schema);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var source = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(Url).ConnectionString);
        await using var command = source.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var source = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(TestServices.Postgres).ConnectionString);
        await using var command = source.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
