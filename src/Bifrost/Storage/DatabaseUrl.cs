using Npgsql;

namespace Bifrost.Storage;

/// <summary>
/// Turns <c>database.url</c> / <c>DATABASE_URL</c> into a provider and connection string:
/// <c>postgresql://user:pass@host:port/db?sslmode=require</c> (or <c>postgres://</c>), an Npgsql
/// <c>Host=…;…</c> string, <c>sqlite:PATH</c>, or empty for the embedded <c>bifrost.db</c>.
/// </summary>
public static class DatabaseUrl
{
    public const string DefaultSqliteFile = "bifrost.db";

    public static (string Provider, string ConnectionString) Parse(string? url, int poolSize = 20)
    {
        url = url?.Trim() ?? "";
        if (url.Length == 0)
        {
            return ("sqlite", DefaultSqliteFile);
        }

        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = url["sqlite:".Length..];
            path = path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path;
            return ("sqlite", path.Length == 0 ? DefaultSqliteFile : path);
        }

        NpgsqlConnectionStringBuilder builder;
        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            builder = FromUri(new Uri(url));
        }
        else if (url.Contains('=', StringComparison.Ordinal))
        {
            builder = new NpgsqlConnectionStringBuilder(url);
        }
        else
        {
            throw new FormatException("expected postgresql://user:pass@host:port/db, an Npgsql connection string (Host=...), or sqlite:PATH");
        }

        if (!url.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) && !url.Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = poolSize;
        }

        if (!url.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase) && !url.Contains("maxautoprepare", StringComparison.OrdinalIgnoreCase))
        {
            // The pipeline sends the same few statements thousands of times a second: prepared after 5 uses, the
            // server stops parsing and planning a 30-array INSERT each time (measured: its CPU per request 34 → 24 µs).
            // `Max Auto Prepare=0` in the URL turns it off (e.g. behind a pooler without prepared-statement support).
            builder.MaxAutoPrepare = 20;
        }

        return ("postgresql", builder.ConnectionString);
    }

    private static NpgsqlConnectionStringBuilder FromUri(Uri uri)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            builder[key switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                "search_path" => "Search Path",
                _ => key,
            }] = value;
        }

        return builder;
    }

    /// <summary>Creates the store for a URL; the caller migrates it. <paramref name="trackIncidents"/>: completed analyses also update their incidents (<c>incidents.enabled</c>).</summary>
    public static IAnalysisStore CreateStore(string? url, int poolSize = 20, bool trackIncidents = true)
    {
        var (provider, connectionString) = Parse(url, poolSize);
        return provider == "sqlite"
            ? new SqliteAnalysisStore(connectionString, trackIncidents)
            : new PostgresAnalysisStore(NpgsqlDataSource.Create(connectionString), trackIncidents);
    }
}
