using Npgsql;

namespace Bifrost.Tests.Heimdall;

/// <summary>
/// Heimdall's own database, as release 2 reads it: a second database on the test PostgreSQL with the
/// <c>log_entries</c> table exactly as shared/contract/heimdall/README.md gives it. Dropped on dispose.
/// </summary>
internal sealed class HeimdallDatabase : IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE log_entries (id BIGSERIAL PRIMARY KEY, event_id VARCHAR(36) UNIQUE NOT NULL,
          timestamp TIMESTAMP NOT NULL, source VARCHAR(100) NOT NULL, service_name VARCHAR(100),
          environment VARCHAR(50), severity VARCHAR(20) NOT NULL, log_content TEXT NOT NULL,
          log_hash VARCHAR(64) NOT NULL, metadata JSONB, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)
        """;

    private readonly NpgsqlDataSource _source;

    private HeimdallDatabase(string name, string url, NpgsqlDataSource source)
    {
        Name = name;
        Url = url;
        _source = source;
    }

    public string Name { get; }

    /// <summary>postgresql:// URL of the database (what heimdall.database_url gets).</summary>
    public string Url { get; }

    public static async Task<HeimdallDatabase> CreateAsync()
    {
        var name = "heimdall_" + Guid.NewGuid().ToString("N")[..12];
        await using (var server = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(TestServices.Postgres).ConnectionString))
        await using (var create = server.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var url = new UriBuilder(TestServices.Postgres) { Path = "/" + name }.Uri.ToString();
        var source = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(url).ConnectionString);
        await using (var command = source.CreateCommand(Schema))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new HeimdallDatabase(name, url, source);
    }

    /// <summary>Inserts a row with the given id, as Heimdall's ingest does.</summary>
    public async Task InsertAsync(long id, string logContent, string? serviceName, string? environment, string severity = "ERROR")
    {
        await using var command = _source.CreateCommand(
            "INSERT INTO log_entries (id, event_id, timestamp, source, service_name, environment, severity, log_content, log_hash, metadata) " +
            "VALUES (@id, @event, now(), 'test', @service, @environment, @severity, @content, md5(@content), '{}'::jsonb)");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("event", Guid.NewGuid().ToString());
        command.Parameters.AddWithValue("service", (object?)serviceName ?? DBNull.Value);
        command.Parameters.AddWithValue("environment", (object?)environment ?? DBNull.Value);
        command.Parameters.AddWithValue("severity", severity);
        command.Parameters.AddWithValue("content", logContent);
        await command.ExecuteNonQueryAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var server = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(TestServices.Postgres).ConnectionString);
        await using var drop = server.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
