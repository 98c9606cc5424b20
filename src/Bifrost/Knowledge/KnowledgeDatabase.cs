using System.Data.Common;
using Bifrost.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bifrost.Knowledge;

/// <summary>
/// Connections to the analysis database (<c>database.url</c>) for the team-knowledge tables (feedback, runbooks,
/// citations). Their schema is part of the analysis store's versioned migrations; the stores here only read and
/// write rows. PostgreSQL through a pooled data source; SQLite through short-lived connections to the same file
/// (WAL: readers never wait for the analysis writer, writers wait their turn up to the busy timeout).
/// </summary>
public sealed class KnowledgeDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;

    private KnowledgeDatabase(NpgsqlDataSource? postgres, string? sqlite)
    {
        _postgres = postgres;
        _sqlite = sqlite;
    }

    public bool IsPostgres => _postgres is not null;

    public string Provider => IsPostgres ? "postgresql" : "sqlite";

    /// <summary>Same forms as the analysis store (<see cref="DatabaseUrl"/>): postgresql://…, Npgsql key=value, sqlite:PATH, or empty.</summary>
    public static KnowledgeDatabase FromUrl(string? url, int poolSize = 8)
    {
        var (provider, connectionString) = DatabaseUrl.Parse(url, poolSize);
        return provider == "sqlite"
            ? new KnowledgeDatabase(null, new SqliteConnectionStringBuilder { DataSource = connectionString, Pooling = true, DefaultTimeout = 30 }.ToString())
            : new KnowledgeDatabase(NpgsqlDataSource.Create(connectionString), null);
    }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>timestamptz for PostgreSQL; unix milliseconds for SQLite (as the analyses table stores them).</summary>
    public object ToDb(DateTimeOffset value) => IsPostgres ? value.ToUniversalTime() : value.ToUnixTimeMilliseconds();

    public object ToDb(DateTimeOffset? value) => value is { } v ? ToDb(v) : DBNull.Value;

    public DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => IsPostgres
        ? reader.GetFieldValue<DateTimeOffset>(ordinal)
        : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public DateTimeOffset? ReadOptionalTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static void Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    public static string? OptionalString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
    }
}
