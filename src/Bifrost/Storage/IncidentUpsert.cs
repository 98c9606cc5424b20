using System.Data.Common;
using System.Text.Json;

namespace Bifrost.Storage;

/// <summary>
/// Folds freshly completed analyses into their incidents, inside the analysis store's own write, so an analysis
/// and the incident change it causes are stored together or not at all (a crash between the two would otherwise
/// lose the "new incident" that a redelivery, deduplicated by request_id, would never bring back).
/// One upsert row per (fingerprint, service) of the batch, in key order so concurrent batches lock incidents in the
/// same order (no deadlocks). The transition rules, identical in both dialects:
/// <list type="bullet">
/// <item>a new (fingerprint, service) → open, transition <c>new</c>;</item>
/// <item>seen after it was resolved → regressed, transition <c>regressed</c>;</item>
/// <item>highest severity reaches CRITICAL → transition <c>escalated</c>;</item>
/// <item>seen after a mute ran out → open again, quietly;</item>
/// <item>otherwise the count, last seen, environments and latest analysis move on.</item>
/// </list>
/// A transition bumps <c>transition_seq</c>; the notification dispatcher (off the hot path) picks up every incident
/// whose <c>transition_seq</c> is ahead of its <c>dispatched_seq</c>.
/// </summary>
/// <remarks>
/// Part of the store's write (the store owns the table's schema too, migration 7); the incident feature
/// (src/Bifrost/Incidents) reads and changes incidents and depends on this, not the other way round.
/// </remarks>
internal static class IncidentUpsert
{
    /// <summary>Severity name → the rank kept as "highest severity" (LOW 0 … CRITICAL 3), as SQL over a column.</summary>
    private static string Rank(string column) => $"CASE {column} WHEN 'CRITICAL' THEN 3 WHEN 'HIGH' THEN 2 WHEN 'MEDIUM' THEN 1 ELSE 0 END";

    private static int Rank(Bifrost.Analysis.Severity? severity) => severity is { } s ? (int)s : 0;

    private const string Columns =
        "fingerprint, service_name, status, first_seen, last_seen, occurrences, severity_rank, category, environments, latest_analysis_id, transition, transition_seq";

    /// <param name="i">The stored row's prefix; <paramref name="e"/> the proposed row's.</param>
    private static string SetClause(string i, string e, string least, string greatest, string mergedEnvironments)
    {
        var regressed = $"({i}status = 'resolved' AND {e}last_seen > {i}resolved_at)";
        var unmuted = $"({i}status = 'muted' AND {i}muted_until <= {e}last_seen)";
        var escalated = $"({e}severity_rank = 3 AND {i}severity_rank < 3)";
        return
            $"occurrences = {i}occurrences + {e}occurrences, " +
            $"first_seen = {least}({i}first_seen, {e}first_seen), " +
            $"last_seen = {greatest}({i}last_seen, {e}last_seen), " +
            $"severity_rank = {greatest}({i}severity_rank, {e}severity_rank), " +
            $"category = CASE WHEN {e}latest_analysis_id > {i}latest_analysis_id THEN {e}category ELSE {i}category END, " +
            $"latest_analysis_id = {greatest}({i}latest_analysis_id, {e}latest_analysis_id), " +
            $"environments = {mergedEnvironments}, " +
            $"status = CASE WHEN {regressed} THEN 'regressed' WHEN {unmuted} THEN 'open' ELSE {i}status END, " +
            $"muted_until = CASE WHEN {unmuted} THEN NULL ELSE {i}muted_until END, " +
            $"resolved_at = CASE WHEN {regressed} THEN NULL ELSE {i}resolved_at END, " +
            $"transition = CASE WHEN {regressed} THEN 'regressed' WHEN {escalated} THEN 'escalated' ELSE {i}transition END, " +
            $"transition_seq = CASE WHEN {regressed} OR {escalated} THEN {i}transition_seq + 1 ELSE {i}transition_seq END";
    }

    /// <summary>
    /// PostgreSQL: CTEs to append to a statement whose CTE <paramref name="source"/> returns the completed analyses
    /// (columns id, service_name, environment, severity, category, fingerprint, received_at). Data-modifying CTEs always
    /// run to completion, so the statement's own result stays what it was; the aggregate reads all of
    /// <paramref name="source"/> before any incident row is locked.
    /// </summary>
    public static string PostgresCtes(string source) =>
        ", incident_batch AS (" +
        $"SELECT fingerprint AS fp, service_name AS svc, count(*) AS n, min(received_at) AS first_at, max(received_at) AS last_at, " +
        $"max({Rank("severity")}) AS sev, max(id) AS last_id, array_agg(DISTINCT environment) AS envs " +
        $"FROM {source} WHERE fingerprint IS NOT NULL GROUP BY fingerprint, service_name), " +
        "incident_upsert AS (" +
        $"INSERT INTO bifrost_incidents AS i ({Columns}) " +
        $"SELECT b.fp, b.svc, 'open', b.first_at, b.last_at, b.n, b.sev, s.category, b.envs, b.last_id, 'new', 1 " +
        $"FROM incident_batch b JOIN {source} s ON s.id = b.last_id ORDER BY b.fp, b.svc " +
        "ON CONFLICT (fingerprint, service_name) DO UPDATE SET " +
        SetClause("i.", "EXCLUDED.", "LEAST", "GREATEST",
            "CASE WHEN EXCLUDED.environments <@ i.environments THEN i.environments " +
            "ELSE ARRAY(SELECT DISTINCT env FROM unnest(i.environments || EXCLUDED.environments) AS env ORDER BY env) END") +
        " RETURNING 1) ";

    private static readonly string SqliteUpsert =
        $"INSERT INTO bifrost_incidents ({Columns}) VALUES (@fp, @svc, 'open', @first, @last, @n, @sev, @cat, @envs, @latest, 'new', 1) " +
        "ON CONFLICT (fingerprint, service_name) DO UPDATE SET " +
        SetClause("bifrost_incidents.", "excluded.", "min", "max",
            "(SELECT json_group_array(value) FROM (SELECT value FROM json_each(bifrost_incidents.environments) " +
            "UNION SELECT value FROM json_each(excluded.environments) ORDER BY value))");

    /// <summary>SQLite (one writer, inside the store's write transaction): one upsert per (fingerprint, service) of <paramref name="completed"/>.</summary>
    public static async Task ApplySqliteAsync(DbConnection connection, DbTransaction tx, IEnumerable<StoredAnalysis> completed, CancellationToken ct)
    {
        var groups = completed
            .Where(a => a.Result is not null)
            .GroupBy(a => (a.Result!.Fingerprint, a.Request.ServiceName))
            .OrderBy(g => g.Key.Fingerprint, StringComparer.Ordinal).ThenBy(g => g.Key.ServiceName, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var latest = group.MaxBy(a => a.Id)!;
            var environments = group.Select(a => a.Request.Environment).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            await using var c = connection.CreateCommand();
            c.Transaction = tx;
            c.CommandText = SqliteUpsert;
            Add(c, "@fp", group.Key.Fingerprint);
            Add(c, "@svc", group.Key.ServiceName);
            Add(c, "@first", group.Min(a => a.Request.ReceivedAt).ToUnixTimeMilliseconds());
            Add(c, "@last", group.Max(a => a.Request.ReceivedAt).ToUnixTimeMilliseconds());
            Add(c, "@n", group.Count());
            Add(c, "@sev", group.Max(a => Rank(Enum.TryParse<Bifrost.Analysis.Severity>(a.Result!.Severity, ignoreCase: true, out var sev) ? sev : null)));
            Add(c, "@cat", latest.Result!.Category);
            Add(c, "@envs", JsonSerializer.Serialize(environments));
            Add(c, "@latest", latest.Id);

            await c.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
