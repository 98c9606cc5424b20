using System.Data.Common;
using Bifrost.Knowledge;

namespace Bifrost.Feedback;

/// <summary>What the PostgreSQL and SQLite feedback stores share: the SQL is the same but for the day bucket.</summary>
public abstract class SqlFeedbackStore(KnowledgeDatabase database) : IFeedbackStore
{
    private const string Columns =
        "id, analysis_id, fingerprint, service_name, analysis_category, analysis_severity, engine, helpful, category, severity, " +
        "service_specific, note, author, created_at, updated_at, updated_by, withdrawn_at, withdrawn_by";

    protected KnowledgeDatabase Database => database;

    /// <summary>The SQL expression for the UTC day of <c>created_at</c>, read back as a time.</summary>
    protected abstract string DayBucket { get; }

    public async Task<FeedbackEntry> AddAsync(FeedbackSubject subject, FeedbackInput input, string author, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            "INSERT INTO analysis_feedback (analysis_id, fingerprint, service_name, analysis_category, analysis_severity, engine, helpful, category, severity, " +
            "service_specific, note, author, created_at, updated_at, updated_by) " +
            $"VALUES (@a, @fp, @svc, @acat, @asev, @eng, @helpful, @cat, @sev, @specific, @note, @author, @at, @at, @author) RETURNING {Columns}";
        KnowledgeDatabase.Add(command, "@a", subject.AnalysisId);
        KnowledgeDatabase.Add(command, "@fp", subject.Fingerprint);
        KnowledgeDatabase.Add(command, "@svc", subject.ServiceName);
        KnowledgeDatabase.Add(command, "@acat", subject.Category);
        KnowledgeDatabase.Add(command, "@asev", subject.Severity);
        KnowledgeDatabase.Add(command, "@eng", subject.Engine);
        AddInput(command, input);
        KnowledgeDatabase.Add(command, "@author", author);
        KnowledgeDatabase.Add(command, "@at", database.ToDb(at));
        var entry = (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false))[0];
        if (entry.IsCorrection || entry.Input.Note is not null)
        {
            await KnowledgeVersions.BumpAsync(connection, tx, KnowledgeVersions.Feedback, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return entry;
    }

    public Task<FeedbackEntry?> UpdateAsync(long id, FeedbackInput input, string by, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, "helpful = @helpful, category = @cat, severity = @sev, service_specific = @specific, note = @note, updated_at = @at, updated_by = @by", command =>
        {
            AddInput(command, input);
            KnowledgeDatabase.Add(command, "@by", by);
            KnowledgeDatabase.Add(command, "@at", database.ToDb(at));
        }, cancellationToken);

    public Task<FeedbackEntry?> WithdrawAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, "withdrawn_at = @at, withdrawn_by = @by", command =>
        {
            KnowledgeDatabase.Add(command, "@by", by);
            KnowledgeDatabase.Add(command, "@at", database.ToDb(at));
        }, cancellationToken);

    /// <summary>One UPDATE of an entry not withdrawn, plus the version bump, in one transaction.</summary>
    private async Task<FeedbackEntry?> ChangeAsync(long id, string assignments, Action<DbCommand> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"UPDATE analysis_feedback SET {assignments} WHERE id = @id AND withdrawn_at IS NULL RETURNING {Columns}";
        KnowledgeDatabase.Add(command, "@id", id);
        parameters(command);
        var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        // Cheaper to bump for every change than to work out whether the old row was knowledge (a vote edited into a note).
        await KnowledgeVersions.BumpAsync(connection, tx, KnowledgeVersions.Feedback, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    public async Task<FeedbackEntry?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM analysis_feedback WHERE id = @id";
        KnowledgeDatabase.Add(command, "@id", id);
        var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<FeedbackPage> ListAsync(FeedbackQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 500);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        void Filter(object? value, string column)
        {
            if (value is not null)
            {
                where.Add($"{column} = @{column}");
                KnowledgeDatabase.Add(command, "@" + column, value);
            }
        }

        Filter(query.AnalysisId, "analysis_id");
        Filter(query.Fingerprint, "fingerprint");
        Filter(query.ServiceName, "service_name");
        Filter(query.Author, "author");
        switch (query.Kind)
        {
            case "helpful": where.Add("helpful"); break;
            case "unhelpful": where.Add("NOT helpful"); break;
            case "correction": where.Add("(category IS NOT NULL OR severity IS NOT NULL)"); break;
            case "note": where.Add("note IS NOT NULL"); break;
        }

        if (!query.IncludeWithdrawn)
        {
            where.Add("withdrawn_at IS NULL");
        }

        if (query.From is { } from)
        {
            where.Add("created_at >= @from");
            KnowledgeDatabase.Add(command, "@from", database.ToDb(from));
        }

        if (query.To is { } to)
        {
            where.Add("created_at < @to");
            KnowledgeDatabase.Add(command, "@to", database.ToDb(to));
        }

        if (query.Before is { } before)
        {
            where.Add("id < @before");
            KnowledgeDatabase.Add(command, "@before", before);
        }

        command.CommandText = $"SELECT {Columns} FROM analysis_feedback{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} ORDER BY id DESC LIMIT {limit + 1}";
        var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        long? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = rows[^1].Id;
        }

        return new FeedbackPage(rows, next);
    }

    public async Task<IReadOnlyList<FeedbackEntry>> ActiveKnowledgeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM analysis_feedback WHERE withdrawn_at IS NULL AND (category IS NOT NULL OR severity IS NOT NULL OR note IS NOT NULL) ORDER BY updated_at, id";
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<FeedbackStats> StatsAsync(DateTimeOffset from, DateTimeOffset until, int topFingerprints, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        const string window = "withdrawn_at IS NULL AND created_at >= @from AND created_at < @to";
        var groups = new List<(DateTimeOffset Day, string Category, string Service, string Engine, long Helpful, long Unhelpful)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText =
                $"SELECT {DayBucket}, analysis_category, service_name, engine, SUM(CASE WHEN helpful THEN 1 ELSE 0 END), SUM(CASE WHEN NOT helpful THEN 1 ELSE 0 END) " +
                $"FROM analysis_feedback WHERE {window} AND helpful IS NOT NULL GROUP BY 1, 2, 3, 4";
            KnowledgeDatabase.Add(command, "@from", database.ToDb(from));
            KnowledgeDatabase.Add(command, "@to", database.ToDb(until));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                groups.Add((database.ReadTime(reader, 0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
            }
        }

        var unhelpful = new List<UnhelpfulFingerprint>();
        await using (var command = connection.CreateCommand())
        {
            // The latest analysis of each fingerprint names its category, service and summary (LEFT JOIN: analyses may be pruned).
            command.CommandText =
                "SELECT f.fingerprint, f.unhelpful, f.helpful, f.latest, a.category, a.service_name, a.summary FROM (" +
                "SELECT fingerprint, SUM(CASE WHEN NOT helpful THEN 1 ELSE 0 END) AS unhelpful, SUM(CASE WHEN helpful THEN 1 ELSE 0 END) AS helpful, MAX(analysis_id) AS latest " +
                $"FROM analysis_feedback WHERE {window} AND helpful IS NOT NULL GROUP BY fingerprint) f " +
                "LEFT JOIN analyses a ON a.id = f.latest WHERE f.unhelpful > 0 " +
                $"ORDER BY f.unhelpful DESC, f.latest DESC LIMIT {Math.Clamp(topFingerprints, 1, 200)}";
            KnowledgeDatabase.Add(command, "@from", database.ToDb(from));
            KnowledgeDatabase.Add(command, "@to", database.ToDb(until));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                unhelpful.Add(new UnhelpfulFingerprint(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                    KnowledgeDatabase.OptionalString(reader, 4) ?? "unknown", KnowledgeDatabase.OptionalString(reader, 5) ?? "", KnowledgeDatabase.OptionalString(reader, 6)));
            }
        }

        long corrections, notes;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT SUM(CASE WHEN category IS NOT NULL OR severity IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN note IS NOT NULL THEN 1 ELSE 0 END) FROM analysis_feedback WHERE {window}";
            KnowledgeDatabase.Add(command, "@from", database.ToDb(from));
            KnowledgeDatabase.Add(command, "@to", database.ToDb(until));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            corrections = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
            notes = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        }

        static IReadOnlyList<HelpfulCount> By(IEnumerable<(string Key, long Helpful, long Unhelpful)> rows, bool byVotes = true) =>
        [
            .. rows.GroupBy(r => r.Key, StringComparer.Ordinal)
                .Select(g => new HelpfulCount(g.Key, g.Sum(r => r.Helpful), g.Sum(r => r.Unhelpful)))
                .OrderBy(c => byVotes ? -c.Votes : 0).ThenBy(c => c.Key, StringComparer.Ordinal),
        ];

        return new FeedbackStats(
            from, until,
            new HelpfulCount("all", groups.Sum(g => g.Helpful), groups.Sum(g => g.Unhelpful)),
            By(groups.Select(g => (g.Category, g.Helpful, g.Unhelpful))),
            By(groups.Select(g => (g.Service, g.Helpful, g.Unhelpful))),
            By(groups.Select(g => (g.Engine, g.Helpful, g.Unhelpful))),
            By(groups.Select(g => (g.Day.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), g.Helpful, g.Unhelpful)), byVotes: false),
            unhelpful, corrections, notes);
    }

    public async Task<IReadOnlyList<CorrectedExcerpt>> CorrectedExcerptsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {string.Join(", ", Columns.Split(", ").Select(c => "f." + c))}, a.log_content, a.environment " +
            "FROM analysis_feedback f JOIN analyses a ON a.id = f.analysis_id " +
            "WHERE f.withdrawn_at IS NULL AND (f.category IS NOT NULL OR f.severity IS NOT NULL) ORDER BY f.analysis_id, f.updated_at DESC, f.id DESC";
        var excerpts = new List<CorrectedExcerpt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = ReadEntry(reader);
            if (excerpts.Count == 0 || excerpts[^1].Correction.Subject.AnalysisId != entry.Subject.AnalysisId)
            {
                excerpts.Add(new CorrectedExcerpt(entry, reader.GetString(18), reader.GetString(19)));
            }
        }

        return excerpts;
    }

    private static void AddInput(DbCommand command, FeedbackInput input)
    {
        KnowledgeDatabase.Add(command, "@helpful", input.Helpful);
        KnowledgeDatabase.Add(command, "@cat", input.Category);
        KnowledgeDatabase.Add(command, "@sev", input.Severity);
        KnowledgeDatabase.Add(command, "@specific", input.ServiceSpecific);
        KnowledgeDatabase.Add(command, "@note", input.Note);
    }

    private async Task<List<FeedbackEntry>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<FeedbackEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadEntry(reader));
        }

        return rows;
    }

    private FeedbackEntry ReadEntry(DbDataReader r) => new(
        r.GetInt64(0),
        new FeedbackSubject(r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)),
        new FeedbackInput(r.IsDBNull(7) ? null : r.GetBoolean(7), KnowledgeDatabase.OptionalString(r, 8), KnowledgeDatabase.OptionalString(r, 9), r.GetBoolean(10), KnowledgeDatabase.OptionalString(r, 11)),
        r.GetString(12), database.ReadTime(r, 13), database.ReadTime(r, 14), r.GetString(15), database.ReadOptionalTime(r, 16), KnowledgeDatabase.OptionalString(r, 17));
}

/// <summary>PostgreSQL: days are UTC days of the timestamptz.</summary>
public sealed class PostgresFeedbackStore(KnowledgeDatabase database) : SqlFeedbackStore(database)
{
    protected override string DayBucket => "date_trunc('day', created_at, 'UTC')";
}

/// <summary>SQLite: times are unix milliseconds, a day is 86,400,000 of them.</summary>
public sealed class SqliteFeedbackStore(KnowledgeDatabase database) : SqlFeedbackStore(database)
{
    protected override string DayBucket => "(created_at / 86400000) * 86400000";
}
