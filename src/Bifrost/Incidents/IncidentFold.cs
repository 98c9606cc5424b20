using Bifrost.Api.Keys;

namespace Bifrost.Incidents;

/// <summary>
/// Folds the deltas the analysis store appended (<see cref="Storage.IncidentDeltas"/>) into <c>bifrost_incidents</c>,
/// in one transaction: the deltas taken are deleted and their incidents upserted together, so each delta counts
/// exactly once, whichever instance (or reader) folds. Upserts go in key order, so concurrent folds lock incidents in
/// the same order. The transition rules, identical in both dialects:
/// <list type="bullet">
/// <item>a new (fingerprint, service) → open, transition <c>new</c>;</item>
/// <item>seen after it was resolved → regressed, transition <c>regressed</c>;</item>
/// <item>highest severity reaches CRITICAL → transition <c>escalated</c>;</item>
/// <item>seen after a mute ran out → open again, quietly;</item>
/// <item>otherwise the count, first/last seen, environments, category and latest analysis move on.</item>
/// </list>
/// A transition bumps <c>transition_seq</c>; the notification dispatcher picks up every incident whose
/// <c>transition_seq</c> is ahead of its <c>dispatched_seq</c>.
/// </summary>
internal static class IncidentFold
{
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
    /// PostgreSQL: one statement. The oldest deltas up to @upto are deleted, aggregated per (fingerprint, service) and
    /// upserted; it returns how many deltas it took. <paramref name="lockClause"/> says what to do with deltas another
    /// fold holds: skip them (the background loop: two instances fold different deltas side by side) or wait for its
    /// commit, which deletes them (a reader that must see them folded).
    /// </summary>
    private static string PostgresFold(string lockClause) =>
        "WITH d AS (DELETE FROM bifrost_incident_deltas WHERE id IN " +
        $"(SELECT id FROM bifrost_incident_deltas WHERE id <= @upto ORDER BY id LIMIT @limit {lockClause}) " +
        "RETURNING fingerprint, service_name, environment, occurrences, first_seen, last_seen, severity_rank, category, latest_analysis_id), " +
        "b AS (SELECT fingerprint AS fp, service_name AS svc, sum(occurrences)::bigint AS n, min(first_seen) AS first_at, max(last_seen) AS last_at, " +
        "max(severity_rank) AS sev, max(latest_analysis_id) AS last_id, array_agg(DISTINCT environment ORDER BY environment) AS envs, " +
        "(array_agg(category ORDER BY latest_analysis_id DESC))[1] AS cat FROM d GROUP BY fingerprint, service_name), " +
        $"u AS (INSERT INTO bifrost_incidents AS i ({Columns}) " +
        "SELECT fp, svc, 'open', first_at, last_at, n, sev, cat, envs, last_id, 'new', 1 FROM b ORDER BY fp, svc " +
        "ON CONFLICT (fingerprint, service_name) DO UPDATE SET " +
        SetClause("i.", "EXCLUDED.", "LEAST", "GREATEST",
            "CASE WHEN EXCLUDED.environments <@ i.environments THEN i.environments " +
            "ELSE ARRAY(SELECT DISTINCT env FROM unnest(i.environments || EXCLUDED.environments) AS env ORDER BY env) END") +
        " RETURNING 1) SELECT count(*) FROM d";

    private static readonly string PostgresFoldSkipping = PostgresFold("FOR UPDATE SKIP LOCKED");

    private static readonly string PostgresFoldWaiting = PostgresFold("FOR UPDATE");

    /// <summary>SQLite (one instance; the write transaction is exclusive): fold every delta up to @upto, then delete them.</summary>
    private static readonly string SqliteFold =
        $"INSERT INTO bifrost_incidents ({Columns}) " +
        "SELECT d.fingerprint, d.service_name, 'open', min(d.first_seen), max(d.last_seen), sum(d.occurrences), max(d.severity_rank), " +
        "(SELECT c.category FROM bifrost_incident_deltas c WHERE c.fingerprint = d.fingerprint AND c.service_name = d.service_name AND c.id <= @upto ORDER BY c.latest_analysis_id DESC LIMIT 1), " +
        "(SELECT json_group_array(environment) FROM (SELECT DISTINCT e.environment FROM bifrost_incident_deltas e " +
        "WHERE e.fingerprint = d.fingerprint AND e.service_name = d.service_name AND e.id <= @upto ORDER BY e.environment)), " +
        "max(d.latest_analysis_id), 'new', 1 FROM bifrost_incident_deltas d WHERE d.id <= @upto " +
        "GROUP BY d.fingerprint, d.service_name ORDER BY d.fingerprint, d.service_name " +
        "ON CONFLICT (fingerprint, service_name) DO UPDATE SET " +
        SetClause("bifrost_incidents.", "excluded.", "min", "max",
            "(SELECT json_group_array(value) FROM (SELECT value FROM json_each(bifrost_incidents.environments) " +
            "UNION SELECT value FROM json_each(excluded.environments) ORDER BY value))") +
        "; DELETE FROM bifrost_incident_deltas WHERE id <= @upto";

    /// <summary>The newest delta's id right now (0: none): a reader folds up to it, and no further.</summary>
    public static async Task<long> NewestAsync(KeyDatabase database, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(id), 0) FROM bifrost_incident_deltas";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether any delta up to <paramref name="upto"/> is still there (folded by nobody, or by a fold not committed yet).</summary>
    public static async Task<bool> AnyAsync(KeyDatabase database, long upto, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM (SELECT 1 FROM bifrost_incident_deltas WHERE id <= @upto LIMIT 1) x";
        FeatureSql.Add(command, "@upto", upto);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// Folds up to <paramref name="limit"/> of the oldest deltas with an id up to <paramref name="upto"/>; returns how many it
    /// took (fewer: none are left right now, or another fold holds them). With <paramref name="wait"/> a PostgreSQL fold
    /// waits for deltas another fold holds instead of skipping them (SQLite's write transactions are exclusive anyway).
    /// </summary>
    public static async Task<int> FoldAsync(KeyDatabase database, long upto, int limit, bool wait, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        if (database.IsPostgres)
        {
            await using var fold = connection.CreateCommand();
            fold.CommandText = wait ? PostgresFoldWaiting : PostgresFoldSkipping;
            FeatureSql.Add(fold, "@upto", upto);
            FeatureSql.Add(fold, "@limit", limit);
            return Convert.ToInt32(await fold.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        long last;
        int count;
        await using (var range = connection.CreateCommand())
        {
            range.Transaction = tx;
            range.CommandText = "SELECT max(id), count(*) FROM (SELECT id FROM bifrost_incident_deltas WHERE id <= @upto ORDER BY id LIMIT @limit)";
            FeatureSql.Add(range, "@upto", upto);
            FeatureSql.Add(range, "@limit", limit);
            await using var r = await range.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.ReadAsync(ct).ConfigureAwait(false);
            if (r.IsDBNull(0))
            {
                return 0;
            }

            (last, count) = (r.GetInt64(0), r.GetInt32(1));
        }

        await FeatureSql.ExecuteAsync(connection, tx, SqliteFold, c => FeatureSql.Add(c, "@upto", last), ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return count;
    }
}
