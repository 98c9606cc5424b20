using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Bifrost.Storage;

/// <summary>
/// SQLite store for the embedded default (one file, WAL so readers never block the writer). SQLite has one
/// writer at a time anyway, so writes go through one connection, a batch per transaction. With incident tracking
/// the transaction that completes analyses also records their incident deltas (<see cref="IncidentDeltas"/>).
/// </summary>
public sealed class SqliteAnalysisStore : SqlAnalysisStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly bool _trackIncidents;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;

    public SqliteAnalysisStore(string path, bool trackIncidents = true)
    {
        SqliteFile.CreatePrivate(path);
        _trackIncidents = trackIncidents;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public override string Provider => "sqlite";

    protected override string LikeOperator => "LIKE";

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(async (connection, tx) =>
        {
            await ExecAsync(connection, tx, "CREATE TABLE IF NOT EXISTS bifrost_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)", cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<long>();
            await using (var command = new SqliteCommand("SELECT version FROM bifrost_schema_migrations", connection, tx))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt64(0));
                }
            }

            foreach (var migration in Migrations.Sqlite.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
            {
                await ExecAsync(connection, tx, migration.Sql, cancellationToken).ConfigureAwait(false);
                await using var record = new SqliteCommand("INSERT INTO bifrost_schema_migrations (version, name) VALUES (@v, @n)", connection, tx);
                record.Parameters.AddWithValue("@v", migration.Version);
                record.Parameters.AddWithValue("@n", migration.Name);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    public override Task<IReadOnlyList<GetOrCreateResult>> GetOrCreateManyAsync(IReadOnlyList<NewAnalysis> requests, AnalysisStatus initialStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var (distinct, indexOf) = Dedupe(requests, r => r.StorageKey);
        var processing = initialStatus == AnalysisStatus.PROCESSING;
        return WriteAsync<IReadOnlyList<GetOrCreateResult>>(async (connection, tx) =>
        {
            await using var insert = new SqliteCommand(
                "INSERT INTO analyses (request_id, correlation_id, log_id, service_name, environment, priority, analysis_type, callback_topic, " +
                "metadata, log_content, source, request_timestamp, status, received_at, started_at, attempts, dialect, tenant_id, request_hash) " +
                "VALUES (@r, @c, @l, @s, @e, @p, @t, @cb, @m, @lc, @src, @rt, @status, @ra, @sa, @attempts, @d, @tn, @h) " +
                $"ON CONFLICT (request_id) DO NOTHING RETURNING {Columns}", connection, tx);
            await using var select = new SqliteCommand($"SELECT {Columns} FROM analyses WHERE request_id = @r", connection, tx);
            var results = new List<GetOrCreateResult>(distinct.Count);
            foreach (var x in distinct)
            {
                insert.Parameters.Clear();
                Add(insert, "@r", x.StorageKey);
                Add(insert, "@h", x.RequestHash);
                Add(insert, "@c", x.CorrelationId);
                Add(insert, "@l", x.LogId);
                Add(insert, "@s", x.ServiceName);
                Add(insert, "@e", x.Environment);
                Add(insert, "@p", x.Priority);
                Add(insert, "@t", x.AnalysisType);
                Add(insert, "@cb", x.CallbackTopic);
                Add(insert, "@m", x.MetadataJson);
                Add(insert, "@lc", x.LogContent);
                Add(insert, "@src", x.Source);
                Add(insert, "@rt", ToDb(x.RequestTimestamp));
                Add(insert, "@status", initialStatus.ToString());
                Add(insert, "@ra", ToDb(x.ReceivedAt));
                Add(insert, "@sa", processing ? ToDb(x.ReceivedAt) : null);
                Add(insert, "@attempts", processing ? 1 : 0);
                Add(insert, "@d", x.Dialect);
                Add(insert, "@tn", x.TenantId);
                var inserted = await ReadAllAsync(insert, cancellationToken).ConfigureAwait(false);
                if (inserted.Count == 1)
                {
                    results.Add(new GetOrCreateResult(inserted[0], Created: true));
                    continue;
                }

                select.Parameters.Clear();
                Add(select, "@r", x.StorageKey);
                results.Add(new GetOrCreateResult((await ReadAllAsync(select, cancellationToken).ConfigureAwait(false))[0], Created: false));
            }

            return Expand(indexOf, results);
        }, cancellationToken);
    }

    public override Task<IReadOnlyList<StoredAnalysis>> UpdateManyAsync(IReadOnlyList<StatusUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        return WriteAsync<IReadOnlyList<StoredAnalysis>>(async (connection, tx) =>
        {
            var results = new List<StoredAnalysis>(updates.Count);
            var completed = new List<StoredAnalysis>();
            foreach (var u in updates)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = tx;
                Add(command, "@id", u.Id);
                Add(command, "@att", u.Attempts);
                Add(command, "@at", ToDb(u.At));
                // A COMPLETED row is final: later updates leave it as is (first completion wins).
                const string guard = "WHERE id = @id AND status <> 'COMPLETED'";
                switch (u.Status)
                {
                    case AnalysisStatus.RECEIVED or AnalysisStatus.PROCESSING:
                        command.CommandText = $"UPDATE analyses SET status = @st, attempts = @att, started_at = CASE WHEN @st = 'PROCESSING' THEN @at ELSE started_at END {guard}";
                        Add(command, "@st", u.Status.ToString());
                        break;
                    case AnalysisStatus.FAILED:
                        command.CommandText = $"UPDATE analyses SET status = 'FAILED', attempts = @att, error = @err, completed_at = @at {guard}";
                        Add(command, "@err", u.Error ?? "failed");
                        break;
                    default:
                        var r = u.Result ?? throw new ArgumentException("COMPLETED needs a result", nameof(updates));
                        command.CommandText =
                            "UPDATE analyses SET status = 'COMPLETED', attempts = @att, error = NULL, started_at = COALESCE(started_at, @at), completed_at = @at, summary = @su, root_cause = @rc, " +
                            "recommendation = @re, severity = @sev, confidence = @conf, category = @cat, fingerprint = @fp, evidence = @ev, model = @mo, " +
                            $"engine = @en, duration_seconds = @du, tokens_used = @tok, cache_hit = @ch, fallback = @fb, result_at = @ra, prompt_tokens = @pt, completion_tokens = @ct {guard}";
                        Add(command, "@su", r.Summary);
                        Add(command, "@rc", r.RootCause);
                        Add(command, "@re", r.Recommendation);
                        Add(command, "@sev", r.Severity);
                        Add(command, "@conf", r.Confidence);
                        Add(command, "@cat", r.Category);
                        Add(command, "@fp", r.Fingerprint);
                        Add(command, "@ev", r.EvidenceJson);
                        Add(command, "@mo", r.Model);
                        Add(command, "@en", r.Engine);
                        Add(command, "@du", r.DurationSeconds);
                        Add(command, "@tok", r.TokensUsed);
                        Add(command, "@ch", r.CacheHit);
                        Add(command, "@fb", r.Fallback);
                        Add(command, "@ra", ToDb(r.ResultAt));
                        Add(command, "@pt", r.PromptTokens);
                        Add(command, "@ct", r.CompletionTokens);
                        break;
                }

                var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (changed == 1 && u.Current is not null)
                {
                    results.Add(u.ApplyTo(u.Current));
                }
                else
                {
                    command.Parameters.Clear();
                    command.CommandText = $"SELECT {Columns} FROM analyses WHERE id = @id";
                    Add(command, "@id", u.Id);
                    var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
                    results.Add(rows.Count == 1 ? rows[0] : throw new KeyNotFoundException($"analysis {u.Id} does not exist"));
                }

                if (changed == 1 && u.Status == AnalysisStatus.COMPLETED)
                {
                    completed.Add(results[^1]);
                }
            }

            if (_trackIncidents && completed.Count > 0)
            {
                await IncidentDeltas.InsertSqliteAsync(connection, tx, completed, cancellationToken).ConfigureAwait(false);
            }

            return results;
        }, cancellationToken);
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is null)
            {
                var writer = new SqliteConnection(_connectionString);
                await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
                await ExecAsync(writer, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", cancellationToken).ConfigureAwait(false);
                _writer = writer;
            }

            await using var tx = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(_writer, tx).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch
        {
            // A broken connection is reopened on the next write.
            if (_writer is { State: not System.Data.ConnectionState.Open })
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }

            throw;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static async Task ExecAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqliteCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    protected override object ToDb(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        _writeGate.Dispose();
    }
}
