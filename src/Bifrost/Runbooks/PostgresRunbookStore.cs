using System.Data.Common;
using Bifrost.Knowledge;
using Npgsql;

namespace Bifrost.Runbooks;

/// <summary>
/// PostgreSQL: a generated tsvector (english configuration; title weighted A, body D, the category as a token) with a GIN
/// index; all searches of a batch go in one round trip (see <see cref="Command"/>).
/// </summary>
public sealed class PostgresRunbookStore(KnowledgeDatabase database) : SqlRunbookStore(database)
{
    protected override async Task InsertSectionAsync(DbConnection connection, DbTransaction tx, string sourcePath, RunbookSectionDraft section, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            "INSERT INTO runbook_sections (source_path, position, title, anchor, body, category, title_words, body_words, category_words, added_at, added_by) " +
            "VALUES (@p, @pos, @t, @a, @b, @c, @tw, @bw, @cw, @at, @by)";
        KnowledgeDatabase.Add(command, "@p", sourcePath);
        KnowledgeDatabase.Add(command, "@pos", section.Position);
        KnowledgeDatabase.Add(command, "@t", section.Title);
        KnowledgeDatabase.Add(command, "@a", section.Anchor);
        KnowledgeDatabase.Add(command, "@b", section.Body);
        KnowledgeDatabase.Add(command, "@c", section.Category);
        KnowledgeDatabase.Add(command, "@tw", KnowledgeText.ForIndex(section.Title));
        KnowledgeDatabase.Add(command, "@bw", KnowledgeText.ForIndex(section.Body));
        KnowledgeDatabase.Add(command, "@cw", KnowledgeText.CategoryToken(section.Category));
        KnowledgeDatabase.Add(command, "@at", Database.ToDb(at));
        KnowledgeDatabase.Add(command, "@by", by);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fresh planner statistics at once after an import, rather than whenever autovacuum gets to the table.</summary>
    protected override async Task AfterChangeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "ANALYZE runbook_sections";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<int> DeleteSourceAsync(DbConnection connection, DbTransaction tx, string sourcePath, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "DELETE FROM runbook_sections WHERE source_path = @p";
        KnowledgeDatabase.Add(command, "@p", sourcePath);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<IReadOnlyList<RunbookHit>>> SearchManyAsync(IReadOnlyList<RunbookSearch> searches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(searches);
        if (searches.Count == 0)
        {
            return [];
        }

        await using var connection = (NpgsqlConnection)await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var search in searches)
        {
            batch.BatchCommands.Add(Command(search));
        }

        var results = new List<IReadOnlyList<RunbookHit>>(searches.Count);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            results.Add(Distinct(await ReadHitsAsync(reader, cancellationToken).ConfigureAwait(false)));
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return results;
    }

    /// <summary>
    /// One statement per search, UNION ALL of its parts, each answered by the GIN index: the category's token AND any
    /// of the words (an intersection of posting lists: no row is read but the matches'), the fingerprint, and when
    /// asked the best matches anywhere (only this part ranks, with ts_rank). The tsqueries are built once per statement
    /// in a CTE: inline with a parameter, to_tsquery would be parsed and stemmed again for every row (measured: ~19 ms
    /// instead of ~1 ms over 100 rows). Positional parameters ($1…) are unnamed.
    /// </summary>
    private static NpgsqlBatchCommand Command(RunbookSearch search)
    {
        var command = new NpgsqlBatchCommand();
        string Parameter(object value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Words and tokens are letters and digits only (KnowledgeText), so they are safe tsquery operands. Only the
        // tsqueries a part uses are built (an empty one draws a server NOTICE).
        var hasWords = search.Words.Count > 0;
        var queries = new List<string>(3);
        var parts = new List<string>(3);
        if (hasWords && (search.Category is not null || search.AnyCategory))
        {
            queries.Add($"to_tsquery('english', {Parameter(string.Join(" | ", search.Words))}::text) AS words");
        }

        if (search.Category is not null && hasWords)
        {
            queries.Add($"to_tsquery('simple', {Parameter(KnowledgeText.CategoryToken(search.Category))}::text) AS category");
            parts.Add($"(SELECT s.id, 0::real AS r FROM runbook_sections s, q WHERE s.search @@ (q.category && q.words) ORDER BY s.id LIMIT {MaxCategoryCandidates})");
        }

        if (search.Fingerprint is not null)
        {
            queries.Add($"plainto_tsquery('english', {Parameter(search.Fingerprint)}::text) AS fp");
            parts.Add($"(SELECT s.id, 1::real AS r FROM runbook_sections s, q WHERE s.search @@ q.fp ORDER BY s.id LIMIT {search.Limit})");
        }

        if (search.AnyCategory && hasWords)
        {
            parts.Add($"(SELECT s.id, ts_rank(s.search, q.words) AS r FROM runbook_sections s, q WHERE s.search @@ q.words ORDER BY r DESC, s.id LIMIT {search.Limit})");
        }

        command.CommandText = parts.Count == 0
            ? "SELECT 0::bigint, 0::real WHERE false"
            : $"WITH q AS MATERIALIZED (SELECT {string.Join(", ", queries)}) " + string.Join(" UNION ALL ", parts);
        return command;
    }

    public override async Task SaveLookupsAsync(IReadOnlyList<ComputedLookup> lookups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        if (lookups.Count == 0)
        {
            return;
        }

        await using var connection = (NpgsqlConnection)await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO runbook_lookups (lookup_key, computed_at, citations) SELECT k, a, c::json FROM (SELECT unnest(@k) AS k, unnest(@a) AS a, unnest(@c) AS c) u " +
            "ON CONFLICT (lookup_key, computed_at) DO NOTHING", connection);
        command.Parameters.AddWithValue("k", lookups.Select(l => l.Key).ToArray());
        command.Parameters.AddWithValue("a", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.TimestampTz, lookups.Select(l => l.At.UtcDateTime).ToArray());
        command.Parameters.AddWithValue("c", lookups.Select(l => CitationJson.Write(l.Citations)).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
