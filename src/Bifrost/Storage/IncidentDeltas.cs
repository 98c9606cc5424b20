using Microsoft.Data.Sqlite;

namespace Bifrost.Storage;

/// <summary>
/// What the analysis store's own write records for incidents: one row per (fingerprint, service, environment) of the
/// batch in <c>bifrost_incident_deltas</c> — how many analyses, first/last received, highest severity, the latest
/// analysis — inserted by the same statement (PostgreSQL) or transaction (SQLite) that stores the analyses, so an
/// analysis and its share of an incident are stored together or not at all. Deltas are only appended: no incident row
/// is locked on the hot path, so concurrent batches of the same failure never wait for each other's commit. Folding
/// them into <c>bifrost_incidents</c> (counts, transitions) is the incident feature's job (src/Bifrost/Incidents,
/// off the hot path); the store depends on nothing there.
/// </summary>
internal static class IncidentDeltas
{
    private const string Columns = "fingerprint, service_name, environment, occurrences, first_seen, last_seen, severity_rank, category, latest_analysis_id";

    /// <summary>Severity name → rank (LOW 0 … CRITICAL 3), as SQL over a column.</summary>
    private const string RankOfSeverity = "CASE severity WHEN 'CRITICAL' THEN 3 WHEN 'HIGH' THEN 2 WHEN 'MEDIUM' THEN 1 ELSE 0 END";

    /// <summary>
    /// PostgreSQL: a CTE to append to a statement whose CTE <paramref name="source"/> returns the completed analyses
    /// (id, service_name, environment, severity, category, fingerprint, received_at). A data-modifying CTE always runs to
    /// completion, so the statement's own result is unchanged.
    /// </summary>
    public static string PostgresCte(string source) =>
        $", incident_deltas AS (INSERT INTO bifrost_incident_deltas ({Columns}) " +
        "SELECT g.fp, g.svc, g.env, g.n, g.first_at, g.last_at, g.sev, s.category, g.last_id FROM (" +
        $"SELECT fingerprint AS fp, service_name AS svc, environment AS env, count(*) AS n, min(received_at) AS first_at, max(received_at) AS last_at, " +
        $"max({RankOfSeverity}) AS sev, max(id) AS last_id FROM {source} WHERE fingerprint IS NOT NULL GROUP BY fingerprint, service_name, environment) g " +
        $"JOIN {source} s ON s.id = g.last_id RETURNING 1) ";

    /// <summary>SQLite (inside the store's write transaction): one delta row per (fingerprint, service, environment) of <paramref name="completed"/>.</summary>
    public static async Task InsertSqliteAsync(SqliteConnection connection, SqliteTransaction tx, IEnumerable<StoredAnalysis> completed, CancellationToken ct)
    {
        foreach (var group in completed.Where(a => a.Result is not null).GroupBy(a => (a.Result!.Fingerprint, a.Request.ServiceName, a.Request.Environment)))
        {
            var latest = group.MaxBy(a => a.Id)!;
            await using var c = connection.CreateCommand();
            c.Transaction = tx;
            c.CommandText = $"INSERT INTO bifrost_incident_deltas ({Columns}) VALUES (@fp, @svc, @env, @n, @first, @last, @sev, @cat, @latest)";
            c.Parameters.AddWithValue("@fp", group.Key.Fingerprint);
            c.Parameters.AddWithValue("@svc", group.Key.ServiceName);
            c.Parameters.AddWithValue("@env", group.Key.Environment);
            c.Parameters.AddWithValue("@n", group.Count());
            c.Parameters.AddWithValue("@first", group.Min(a => a.Request.ReceivedAt).ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("@last", group.Max(a => a.Request.ReceivedAt).ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("@sev", group.Max(a => Enum.TryParse<Bifrost.Analysis.Severity>(a.Result!.Severity, ignoreCase: true, out var s) ? (int)s : 0));
            c.Parameters.AddWithValue("@cat", latest.Result!.Category);
            c.Parameters.AddWithValue("@latest", latest.Id);
            await c.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
