using System.Data.Common;
using Bifrost.Configuration;
using Bifrost.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bifrost.Api.Keys;

/// <summary>
/// Opens connections to the analysis database (<c>database.url</c>) for the API key table. The key table lives
/// beside the analyses but has its own schema step, so the API does not reach into the pipeline's storage code.
/// </summary>
public sealed class KeyDatabase
{
    private readonly string _connectionString;

    private KeyDatabase(bool isPostgres, string connectionString)
    {
        IsPostgres = isPostgres;
        _connectionString = connectionString;
    }

    public bool IsPostgres { get; }

    /// <summary>Same forms as the analysis store (<see cref="DatabaseUrl"/>): postgresql://…, Npgsql key=value, sqlite:PATH, or empty.</summary>
    public static KeyDatabase FromUrl(string? url)
    {
        var (provider, connectionString) = DatabaseUrl.Parse(url, poolSize: 4);
        if (provider == "sqlite") SqliteFile.CreatePrivate(connectionString);
        return provider == "sqlite"
            ? new KeyDatabase(false, new SqliteConnectionStringBuilder { DataSource = connectionString, DefaultTimeout = 30 }.ToString())
            : new KeyDatabase(true, connectionString);
    }

    public static KeyDatabase FromOptions(DatabaseOptions options) => FromUrl(options.Url);

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }
}
