using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Bifrost.Storage;

/// <summary>
/// What PostgreSQL and SQLite share: the row layout, row mapping and the read queries. Writes are
/// provider-specific (batched differently) and live in the subclasses.
/// </summary>
public abstract class SqlAnalysisStore : IAnalysisStore
{
    /// <summary>Column order is the read order of <see cref="ReadRow"/>.</summary>
    protected const string Columns =
        "id, request_id, correlation_id, log_id, service_name, environment, priority, analysis_type, callback_topic, " +
        "metadata, log_content, source, request_timestamp, status, received_at, started_at, completed_at, attempts, error, " +
        "summary, root_cause, recommendation, severity, confidence, category, fingerprint, evidence, model, engine, " +
        "duration_seconds, tokens_used, cache_hit, fallback, result_at, dialect, tenant_id, prompt_tokens, completion_tokens, request_hash";

    protected static string PrefixedColumns(string alias) =>
        string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

    public abstract string Provider { get; }

    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<GetOrCreateResult>> GetOrCreateManyAsync(IReadOnlyList<NewAnalysis> requests, AnalysisStatus initialStatus, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<StoredAnalysis>> UpdateManyAsync(IReadOnlyList<StatusUpdate> updates, CancellationToken cancellationToken);

    /// <summary>
    /// The portable form (the embedded SQLite store): get-or-create as PROCESSING, then complete — two writes.
    /// PostgreSQL overrides it with a single INSERT of the finished rows.
    /// </summary>
    public virtual async Task<IReadOnlyList<GetOrCreateResult>> SaveCompletedManyAsync(IReadOnlyList<FinishedAnalysis> analyses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        var rows = await GetOrCreateManyAsync([.. analyses.Select(a => a.Request)], AnalysisStatus.PROCESSING, cancellationToken).ConfigureAwait(false);
        return await CompleteUnfinishedAsync(analyses, rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes every row of <paramref name="rows"/> still RECEIVED/PROCESSING with its analysis (once per row, so
    /// a request_id repeated in the batch is completed by its first occurrence); final rows stay as stored.
    /// </summary>
    protected async Task<IReadOnlyList<GetOrCreateResult>> CompleteUnfinishedAsync(IReadOnlyList<FinishedAnalysis> analyses, IReadOnlyList<GetOrCreateResult> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        ArgumentNullException.ThrowIfNull(rows);
        var results = rows.ToArray();
        var completing = new Dictionary<long, int>();
        var updates = new List<StatusUpdate>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i].Analysis;
            if (row.Status is AnalysisStatus.COMPLETED or AnalysisStatus.FAILED || !completing.TryAdd(row.Id, i))
            {
                continue;
            }

            var attempts = rows[i].Created ? 1 : row.Attempts + 1;
            updates.Add(new StatusUpdate(row.Id, AnalysisStatus.COMPLETED, analyses[i].CompletedAt, attempts, Result: analyses[i].Result, Current: row));
        }

        if (updates.Count == 0)
        {
            return results;
        }

        var stored = (await UpdateManyAsync(updates, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Id);
        for (var i = 0; i < results.Length; i++)
        {
            if (stored.TryGetValue(results[i].Analysis.Id, out var row))
            {
                results[i] = new GetOrCreateResult(row, Created: completing[row.Id] == i);
            }
        }

        return results;
    }

    protected abstract ValueTask<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken);

    /// <summary>How a timestamp is stored (timestamptz vs. unix milliseconds).</summary>
    protected abstract object ToDb(DateTimeOffset value);

    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>Case-insensitive LIKE operator of the dialect.</summary>
    protected abstract string LikeOperator { get; }

    protected StoredAnalysis ReadRow(DbDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        DateTimeOffset? T(int i) => r.IsDBNull(i) ? null : ReadTime(r, i);
        var (caller, requestId) = NewAnalysis.FromStorageKey(r.GetString(1));
        var request = new NewAnalysis(
            RequestId: requestId, CorrelationId: r.GetString(2), LogId: r.GetInt64(3), ServiceName: r.GetString(4),
            Environment: r.GetString(5), Priority: r.GetString(6), AnalysisType: r.GetString(7), CallbackTopic: r.GetString(8),
            MetadataJson: r.GetString(9), LogContent: r.GetString(10), Source: r.GetString(11),
            RequestTimestamp: ReadTime(r, 12), ReceivedAt: ReadTime(r, 14), Dialect: r.GetString(34), TenantId: S(35), Caller: caller, RequestHash: S(38));
        AnalysisResultData? result = r.IsDBNull(19) ? null : new AnalysisResultData(
            Summary: r.GetString(19), RootCause: r.GetString(20), Recommendation: r.GetString(21), Severity: r.GetString(22),
            Confidence: r.GetDouble(23), Category: r.GetString(24), Fingerprint: r.GetString(25), EvidenceJson: r.GetString(26),
            Model: r.GetString(27), Engine: r.GetString(28), DurationSeconds: r.GetDouble(29), TokensUsed: r.GetInt32(30),
            CacheHit: r.GetBoolean(31), Fallback: r.GetBoolean(32), ResultAt: ReadTime(r, 33),
            PromptTokens: r.IsDBNull(36) ? 0 : r.GetInt32(36), CompletionTokens: r.IsDBNull(37) ? 0 : r.GetInt32(37));
        return new StoredAnalysis(
            Id: r.GetInt64(0), Request: request, Status: Enum.Parse<AnalysisStatus>(r.GetString(13)),
            StartedAt: T(15), CompletedAt: T(16), Attempts: r.GetInt32(17), Error: S(18), Result: result);
    }

    protected async Task<List<StoredAnalysis>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredAnalysis>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadRow(reader));
        }

        return rows;
    }

    protected static void Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    public Task<StoredAnalysis?> GetAsync(long id, CancellationToken cancellationToken) =>
        SingleAsync("id = @id", "@id", id, cancellationToken);

    /// <summary>By the stored key: the request_id for Kafka, <see cref="NewAnalysis.StorageKey"/> for API callers.</summary>
    public Task<StoredAnalysis?> GetByRequestIdAsync(string requestId, CancellationToken cancellationToken) =>
        SingleAsync("request_id = @rid", "@rid", requestId, cancellationToken);

    private async Task<StoredAnalysis?> SingleAsync(string where, string name, object value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM analyses WHERE {where}";
        Add(command, name, value);
        var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : null;
    }

    public async Task<AnalysisPage> ListAsync(AnalysisQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 500);
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        void Filter(string? value, string column)
        {
            if (!string.IsNullOrEmpty(value))
            {
                where.Add($"{column} = @{column}");
                Add(command, "@" + column, value);
            }
        }

        Filter(query.ServiceName, "service_name");
        Filter(query.Environment, "environment");
        Filter(query.Severity?.ToUpperInvariant(), "severity");
        Filter(query.Category, "category");
        Filter(query.Status?.ToString(), "status");
        Filter(query.Fingerprint, "fingerprint");
        Filter(query.TenantId, "tenant_id");
        if (query.From is { } from)
        {
            where.Add("received_at >= @from");
            Add(command, "@from", ToDb(from));
        }

        if (query.To is { } to)
        {
            where.Add("received_at < @to");
            Add(command, "@to", ToDb(to));
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            var like = LikeOperator;
            where.Add($"(summary {like} @text ESCAPE '\\' OR root_cause {like} @text ESCAPE '\\' OR recommendation {like} @text ESCAPE '\\' OR log_content {like} @text ESCAPE '\\')");
            Add(command, "@text", "%" + query.Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
        }

        if (DecodeCursor(query.Cursor) is { } cursor)
        {
            where.Add("id < @cursor");
            Add(command, "@cursor", cursor);
        }

        command.CommandText = $"SELECT {Columns} FROM analyses{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} ORDER BY id DESC LIMIT {limit + 1}{(query.Offset > 0 ? $" OFFSET {Math.Min(query.Offset, MaxOffset).ToString(CultureInfo.InvariantCulture)}" : "")}";
        var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = EncodeCursor(rows[^1].Id);
        }

        return new AnalysisPage(rows, next);
    }

    /// <summary>Deepest offset served: past it, page with the cursor (an offset makes the database read every skipped row).</summary>
    public const int MaxOffset = 100_000;

    internal static string EncodeCursor(long id) => Convert.ToBase64String(Encoding.UTF8.GetBytes("id:" + id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>An unreadable cursor is a caller error, reported as such (the API maps it to 400).</summary>
    internal static long? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("id:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }
        }
        catch (FormatException)
        {
        }

        throw new ArgumentException($"invalid cursor '{cursor}'", nameof(cursor));
    }

    public async Task<AnalysisStats> GetStatsAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        const string window = "received_at >= @from AND received_at < @to";
        command.CommandText =
            $"SELECT 'severity', severity, COUNT(*) FROM analyses WHERE {window} AND severity IS NOT NULL GROUP BY severity " +
            $"UNION ALL SELECT 'category', category, COUNT(*) FROM analyses WHERE {window} AND category IS NOT NULL GROUP BY category " +
            $"UNION ALL SELECT 'service', service_name, COUNT(*) FROM analyses WHERE {window} GROUP BY service_name " +
            $"UNION ALL SELECT 'status', status, COUNT(*) FROM analyses WHERE {window} GROUP BY status";
        Add(command, "@from", ToDb(from));
        Add(command, "@to", ToDb(until));
        var maps = new Dictionary<string, Dictionary<string, long>>
        {
            ["severity"] = [], ["category"] = [], ["service"] = [], ["status"] = [],
        };
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                maps[reader.GetString(0)][reader.GetString(1)] = reader.GetInt64(2);
            }
        }

        return new AnalysisStats(from, until, maps["status"].Values.Sum(), maps["severity"], maps["category"], maps["service"], maps["status"]);
    }

    public async Task<IReadOnlyList<FingerprintSummary>> GetTopFingerprintsAsync(DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        var top = new List<(string Fingerprint, long Count, long LatestId)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText =
                "SELECT fingerprint, COUNT(*), MAX(id) FROM analyses " +
                "WHERE status = 'COMPLETED' AND received_at >= @from AND received_at < @to " +
                $"GROUP BY fingerprint ORDER BY COUNT(*) DESC, MAX(id) DESC LIMIT {Math.Clamp(limit, 1, 1000)}";
            Add(command, "@from", ToDb(from));
            Add(command, "@to", ToDb(until));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                top.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        if (top.Count == 0)
        {
            return [];
        }

        await using var rowsCommand = connection.CreateCommand();
        rowsCommand.CommandText = $"SELECT {Columns} FROM analyses WHERE id IN ({string.Join(", ", top.Select(t => t.LatestId.ToString(CultureInfo.InvariantCulture)))})";
        var latest = (await ReadAllAsync(rowsCommand, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Id);
        return [.. top.Select(t => new FingerprintSummary(t.Fingerprint, t.Count, latest[t.LatestId].Request.ReceivedAt, latest[t.LatestId]))];
    }

    /// <summary>Keeps the first occurrence of each storage key; returns index of each input into the distinct list.</summary>
    protected static (List<T> Distinct, int[] IndexOf) Dedupe<T>(IReadOnlyList<T> items, Func<T, string> requestId)
    {
        var distinct = new List<T>(items.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var indexOf = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (!seen.TryGetValue(requestId(items[i]), out var index))
            {
                index = distinct.Count;
                seen[requestId(items[i])] = index;
                distinct.Add(items[i]);
            }

            indexOf[i] = index;
        }

        return (distinct, indexOf);
    }

    /// <summary>Maps the distinct results back to the inputs; a repeated request_id in one batch is "not created" after the first.</summary>
    protected static IReadOnlyList<GetOrCreateResult> Expand(int[] indexOf, IReadOnlyList<GetOrCreateResult> distinctResults)
    {
        var results = new GetOrCreateResult[indexOf.Length];
        var firstSeen = new HashSet<int>();
        for (var i = 0; i < indexOf.Length; i++)
        {
            var r = distinctResults[indexOf[i]];
            results[i] = firstSeen.Add(indexOf[i]) ? r : r with { Created = false };
        }

        return results;
    }
}
