using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bifrost.Api.Keys;

namespace Bifrost.Incidents;

/// <summary>
/// Incidents in <c>bifrost_incidents</c> (PostgreSQL or SQLite, as <c>database.url</c> says): folding in what the
/// analysis store appended (<see cref="IncidentFold"/>), reads, and the on-call actions resolve, mute and reopen.
/// Every read and action folds the deltas stored before it first (<see cref="CatchUpAsync"/>), so it sees every analysis
/// stored before it.
/// </summary>
public sealed class IncidentStore(KeyDatabase database, IncidentOptions options)
{
    private const int MaxRelatedServices = 50;

    internal const string Select = "SELECT " + Columns + " " + From;

    /// <summary>The read order of <see cref="ReadRow"/> (more columns may follow it).</summary>
    internal const string Columns =
        "i.id, i.fingerprint, i.service_name, i.status, i.muted_until, i.first_seen, i.last_seen, i.occurrences, i.severity_rank, " +
        "i.category, i.environments, i.latest_analysis_id, a.summary, a.recommendation, i.resolved_at, i.transition, i.transition_seq";

    internal const string From = "FROM bifrost_incidents i LEFT JOIN analyses a ON a.id = i.latest_analysis_id";

    /// <summary>"Needs attention first": open and regressed (and mutes that ran out), then muted, then resolved.</summary>
    private const string AttentionRank = "CASE WHEN i.status = 'resolved' THEN 2 WHEN i.status = 'muted' AND i.muted_until > @now THEN 1 ELSE 0 END";

    /// <summary>Deltas folded per statement.</summary>
    internal const int FoldBatch = 5000;

    public KeyDatabase Database => database;

    /// <summary>
    /// The background fold (every instance's notification sender): folds pending deltas into their incidents a batch at
    /// a time, skipping those another instance is folding right now; returns how many it took.
    /// </summary>
    public async Task<int> FoldAsync(CancellationToken ct)
    {
        var total = 0;
        int folded;
        do
        {
            folded = await IncidentFold.FoldAsync(database, long.MaxValue, FoldBatch, wait: false, ct).ConfigureAwait(false);
            total += folded;
        }
        while (folded == FoldBatch);
        return total;
    }

    /// <summary>
    /// Before a read or an action: every delta stored before this call is folded when it returns, by this call or by
    /// a fold it waited for, so the caller sees every analysis stored before it. Deltas stored meanwhile are left to the
    /// next fold (a busy pipeline cannot keep a reader chasing them).
    /// </summary>
    private async Task CatchUpAsync(CancellationToken ct)
    {
        var upto = await IncidentFold.NewestAsync(database, ct).ConfigureAwait(false);
        while (upto > 0)
        {
            if (await IncidentFold.FoldAsync(database, upto, FoldBatch, wait: true, ct).ConfigureAwait(false) > 0)
            {
                continue;
            }

            // None taken: the rest (if any) were held by a fold that has committed since, or are on their way.
            if (!await IncidentFold.AnyAsync(database, upto, ct).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    public async Task<IncidentPage> ListAsync(IncidentQuery query, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 500);
        await CatchUpAsync(ct).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        FeatureSql.Add(command, "@now", FeatureSql.Time(database, now));
        var where = Filters(command, query);
        var cursor = DecodeCursor(query.Cursor, query.ById);
        if (cursor is { } c)
        {
            FeatureSql.Add(command, "@cid", c.Id);
            if (query.ById)
            {
                where.Add("i.id > @cid");
            }
            else
            {
                FeatureSql.Add(command, "@crank", c.Rank);
                FeatureSql.Add(command, "@cseen", FeatureSql.Time(database, c.LastSeen));
                where.Add($"({AttentionRank} > @crank OR ({AttentionRank} = @crank AND (i.last_seen < @cseen OR (i.last_seen = @cseen AND i.id < @cid))))");
            }
        }

        var order = query.ById ? "i.id" : $"{AttentionRank}, i.last_seen DESC, i.id DESC";
        command.CommandText = $"{Select}{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} ORDER BY {order} LIMIT {limit + 1}";
        var rows = await ReadAsync(command, now, ct).ConfigureAwait(false);
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            var last = rows[^1];
            next = EncodeCursor(query.ById, Rank(last), last.LastSeen, last.Id);
        }

        return new IncidentPage(await WithRelatedServicesAsync(connection, rows, ct).ConfigureAwait(false), next);
    }

    public async Task<StoredIncident?> GetAsync(long id, DateTimeOffset now, CancellationToken ct)
    {
        await CatchUpAsync(ct).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await GetAsync(connection, null, id, now, ct).ConfigureAwait(false);
    }

    internal async Task<StoredIncident?> GetAsync(DbConnection connection, DbTransaction? tx, long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"{Select} WHERE i.id = @id";
        FeatureSql.Add(command, "@id", id);
        var rows = await ReadAsync(command, now, ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : (await WithRelatedServicesAsync(connection, rows, ct, tx).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// Resolves the incident (a transition: channels that can resolve, e.g. PagerDuty, are told). Resolving a resolved
    /// incident changes nothing. Null when there is no such incident.
    /// </summary>
    public Task<StoredIncident?> ResolveAsync(long id, DateTimeOffset now, CancellationToken ct) => ChangeAsync(id, now,
        "UPDATE bifrost_incidents SET status = 'resolved', resolved_at = @now, muted_until = NULL, transition = 'resolved', " +
        "transition_seq = transition_seq + 1 WHERE id = @id AND status <> 'resolved'", _ => { }, ct);

    /// <summary>Silences the incident until <paramref name="until"/>: it keeps counting, nobody is notified; afterwards it is open.</summary>
    public Task<StoredIncident?> MuteAsync(long id, DateTimeOffset until, DateTimeOffset now, CancellationToken ct) => ChangeAsync(id, now,
        "UPDATE bifrost_incidents SET status = 'muted', muted_until = @until, resolved_at = NULL WHERE id = @id",
        c => FeatureSql.Add(c, "@until", FeatureSql.Time(database, until)), ct);

    /// <summary>Back to open from resolved or muted (a human decision: no notification); a regressed incident stays regressed.</summary>
    public Task<StoredIncident?> ReopenAsync(long id, DateTimeOffset now, CancellationToken ct) => ChangeAsync(id, now,
        "UPDATE bifrost_incidents SET status = CASE WHEN status = 'regressed' THEN status ELSE 'open' END, muted_until = NULL, resolved_at = NULL WHERE id = @id",
        _ => { }, ct);

    private async Task<StoredIncident?> ChangeAsync(long id, DateTimeOffset now, string sql, Action<DbCommand> parameters, CancellationToken ct)
    {
        await CatchUpAsync(ct).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await FeatureSql.ExecuteAsync(connection, null, sql, c =>
        {
            FeatureSql.Add(c, "@id", id);
            FeatureSql.Add(c, "@now", FeatureSql.Time(database, now));
            parameters(c);
        }, ct).ConfigureAwait(false);
        return await GetAsync(connection, null, id, now, ct).ConfigureAwait(false);
    }

    private List<string> Filters(DbCommand command, IncidentQuery q)
    {
        var where = new List<string>();
        void Equal(string? value, string column, string name)
        {
            if (!string.IsNullOrEmpty(value))
            {
                where.Add($"{column} = @{name}");
                FeatureSql.Add(command, "@" + name, value);
            }
        }

        Equal(q.ServiceName, "i.service_name", "service");
        Equal(q.Category, "i.category", "category");
        Equal(q.Fingerprint, "i.fingerprint", "fingerprint");
        if (!string.IsNullOrEmpty(q.Severity))
        {
            where.Add("i.severity_rank = @severity");
            FeatureSql.Add(command, "@severity", SeverityRank.Of(q.Severity));
        }

        if (!string.IsNullOrEmpty(q.Environment))
        {
            where.Add(database.IsPostgres ? "@environment = ANY(i.environments)" : "EXISTS (SELECT 1 FROM json_each(i.environments) WHERE value = @environment)");
            FeatureSql.Add(command, "@environment", q.Environment);
        }

        if (q.From is { } from)
        {
            where.Add("i.last_seen >= @from");
            FeatureSql.Add(command, "@from", FeatureSql.Time(database, from));
        }

        if (q.To is { } to)
        {
            where.Add("i.last_seen < @to");
            FeatureSql.Add(command, "@to", FeatureSql.Time(database, to));
        }

        // Effective status: a mute that ran out reads as open.
        const string expiredMute = "(i.status = 'muted' AND i.muted_until <= @now)";
        switch (q.Status?.ToLowerInvariant())
        {
            case null or "":
                break;
            case IncidentStatus.Open:
                where.Add($"(i.status = 'open' OR {expiredMute})");
                break;
            case IncidentStatus.Muted:
                where.Add("i.status = 'muted' AND i.muted_until > @now");
                break;
            case IncidentStatus.Active:
                where.Add($"(i.status IN ('open', 'regressed') OR {expiredMute})");
                break;
            case var s:
                where.Add("i.status = @status");
                FeatureSql.Add(command, "@status", s);
                break;
        }

        return where;
    }

    private async Task<List<StoredIncident>> ReadAsync(DbCommand command, DateTimeOffset now, CancellationToken ct)
    {
        var rows = new List<StoredIncident>();
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(ReadRow(database, r, now));
        }

        return rows;
    }

    /// <summary>One row of <see cref="Select"/>; related services are filled in afterwards.</summary>
    internal static StoredIncident ReadRow(KeyDatabase db, DbDataReader r, DateTimeOffset now)
    {
        var status = r.GetString(3);
        var mutedUntil = FeatureSql.ReadTimeOrNull(db, r, 4);
        if (status == IncidentStatus.Muted && (mutedUntil is null || mutedUntil <= now))
        {
            (status, mutedUntil) = (IncidentStatus.Open, null);
        }

        var environments = db.IsPostgres ? r.GetFieldValue<string[]>(10) : JsonSerializer.Deserialize<string[]>(r.GetString(10)) ?? [];
        return new StoredIncident(
            Id: r.GetInt64(0), Fingerprint: r.GetString(1), ServiceName: r.GetString(2), Status: status, MutedUntil: mutedUntil,
            FirstSeen: FeatureSql.ReadTime(db, r, 5), LastSeen: FeatureSql.ReadTime(db, r, 6), Count: r.GetInt64(7),
            Severity: SeverityRank.Name(r.GetInt32(8)), Category: r.GetString(9), Environments: environments,
            LatestAnalysisId: r.GetInt64(11), Summary: r.IsDBNull(12) ? null : r.GetString(12), Recommendation: r.IsDBNull(13) ? null : r.GetString(13),
            ResolvedAt: FeatureSql.ReadTimeOrNull(db, r, 14), LastTransition: r.GetString(15), TransitionSeq: r.GetInt32(16), RelatedServices: []);
    }

    /// <summary>
    /// The other services whose incident with the same fingerprint was last seen within the multi-service window of
    /// this one's last sighting: one root failure (a database, a shared dependency) hitting many callers at once.
    /// </summary>
    internal async Task<List<StoredIncident>> WithRelatedServicesAsync(DbConnection connection, List<StoredIncident> rows, CancellationToken ct, DbTransaction? tx = null)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var sightings = new Dictionary<string, List<(string Service, DateTimeOffset LastSeen)>>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = tx;
            var fingerprints = rows.Select(r => (object)r.Fingerprint).Distinct().ToList();
            command.CommandText = $"SELECT i.fingerprint, i.service_name, i.last_seen FROM bifrost_incidents i WHERE {FeatureSql.In(command, "i.fingerprint", fingerprints, "fp")} ORDER BY i.last_seen DESC LIMIT 5000";
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var fingerprint = r.GetString(0);
                if (!sightings.TryGetValue(fingerprint, out var list))
                {
                    sightings[fingerprint] = list = [];
                }

                list.Add((r.GetString(1), FeatureSql.ReadTime(database, r, 2)));
            }
        }

        var window = TimeSpan.FromSeconds(options.MultiServiceWindowSeconds);
        return [.. rows.Select(row => row with
        {
            RelatedServices = [.. sightings.GetValueOrDefault(row.Fingerprint, [])
                .Where(s => s.Service != row.ServiceName && (s.LastSeen - row.LastSeen).Duration() <= window)
                .Select(s => s.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxRelatedServices)],
        })];
    }

    private static int Rank(StoredIncident i) => i.Status switch
    {
        IncidentStatus.Resolved => 2,
        IncidentStatus.Muted => 1,
        _ => 0,
    };

    internal sealed record Cursor(int Rank, DateTimeOffset LastSeen, long Id);

    private static string EncodeCursor(bool byId, int rank, DateTimeOffset lastSeen, long id) => Convert.ToBase64String(Encoding.UTF8.GetBytes(byId
        ? string.Create(CultureInfo.InvariantCulture, $"i:{id}")
        : string.Create(CultureInfo.InvariantCulture, $"a:{rank}:{lastSeen.ToUnixTimeMilliseconds()}:{id}")));

    /// <summary>An unreadable cursor is the caller's error (the API answers 400).</summary>
    internal static Cursor? DecodeCursor(string? cursor, bool byId)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
            if (byId && parts is ["i", var id])
            {
                return new Cursor(0, default, long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture));
            }

            if (!byId && parts is ["a", var rank, var seen, var id2])
            {
                return new Cursor(int.Parse(rank, NumberStyles.None, CultureInfo.InvariantCulture),
                    DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(seen, NumberStyles.None, CultureInfo.InvariantCulture)),
                    long.Parse(id2, NumberStyles.None, CultureInfo.InvariantCulture));
            }
        }
        catch (FormatException)
        {
        }
        catch (OverflowException)
        {
        }

        throw new ArgumentException($"invalid cursor '{cursor}'", nameof(cursor));
    }
}
