using System.Data.Common;
using Bifrost.Configuration;
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

    /// <summary>postgresql://user:pass@host:port/db, an Npgsql key=value string, sqlite:PATH, or empty (bifrost.db).</summary>
    public static KeyDatabase FromUrl(string? url)
    {
        url = url?.Trim() ?? "";
        if (url.Length == 0) return new KeyDatabase(false, "Data Source=bifrost.db");
        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = url["sqlite:".Length..].TrimStart('/');
            if (url.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase)) path = "/" + path;
            return new KeyDatabase(false, $"Data Source={path}");
        }

        if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new KeyDatabase(true, PostgresUrlToConnectionString(url));
        }

        return new KeyDatabase(true, url); // Npgsql key=value form
    }

    public static KeyDatabase FromOptions(DatabaseOptions options) => FromUrl(options.Url);

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    private static string PostgresUrlToConnectionString(string url)
    {
        var uri = new Uri(url);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }

        return builder.ConnectionString;
    }
}
