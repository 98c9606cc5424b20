using System.Data.Common;
using Bifrost.Knowledge;

namespace Bifrost.Runbooks;

/// <summary>
/// SQLite: an FTS5 table (porter stemming) whose rowid is the section id. A search is an OR of the query's quoted
/// words, ranked by <c>bm25</c> (title 5×, body 1×; negated so higher is better); one connection per batch.
/// </summary>
public sealed class SqliteRunbookStore(KnowledgeDatabase database) : SqlRunbookStore(database)
{
    protected override async Task InsertSectionAsync(DbConnection connection, DbTransaction tx, string sourcePath, RunbookSectionDraft section, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            "INSERT INTO runbook_sections (source_path, position, title, anchor, body, category, added_at, added_by) VALUES (@p, @pos, @t, @a, @b, @c, @at, @by) RETURNING id";
        KnowledgeDatabase.Add(command, "@p", sourcePath);
        KnowledgeDatabase.Add(command, "@pos", section.Position);
        KnowledgeDatabase.Add(command, "@t", section.Title);
        KnowledgeDatabase.Add(command, "@a", section.Anchor);
        KnowledgeDatabase.Add(command, "@b", section.Body);
        KnowledgeDatabase.Add(command, "@c", section.Category);
        KnowledgeDatabase.Add(command, "@at", Database.ToDb(at));
        KnowledgeDatabase.Add(command, "@by", by);
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

        await using var index = connection.CreateCommand();
        index.Transaction = tx;
        index.CommandText = "INSERT INTO runbook_search (rowid, title_words, body_words) VALUES (@id, @tw, @bw)";
        KnowledgeDatabase.Add(index, "@id", id);
        KnowledgeDatabase.Add(index, "@tw", KnowledgeText.ForIndex(section.Title));
        KnowledgeDatabase.Add(index, "@bw", KnowledgeText.ForIndex(section.Body));
        await index.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<int> DeleteSourceAsync(DbConnection connection, DbTransaction tx, string sourcePath, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            "DELETE FROM runbook_search WHERE rowid IN (SELECT id FROM runbook_sections WHERE source_path = @p); " +
            "DELETE FROM runbook_sections WHERE source_path = @p";
        KnowledgeDatabase.Add(command, "@p", sourcePath);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var changes = connection.CreateCommand();
        changes.Transaction = tx;
        changes.CommandText = "SELECT changes()";
        return Convert.ToInt32(await changes.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async Task<IReadOnlyList<IReadOnlyList<RunbookCandidate>>> SearchManyAsync(IReadOnlyList<RunbookSearch> searches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(searches);
        var results = new List<IReadOnlyList<RunbookCandidate>>(searches.Count);
        if (searches.Count == 0)
        {
            return results;
        }

        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var search in searches)
        {
            var candidates = new List<RunbookCandidate>();
            var match = string.Join(" OR ", search.Words.Select(w => $"\"{w}\""));
            if (match.Length > 0)
            {
                candidates.AddRange(await QueryAsync(connection,
                    $"SELECT {Columns}, -bm25(runbook_search, 5.0, 1.0) AS r FROM runbook_search JOIN runbook_sections s ON s.id = runbook_search.rowid " +
                    "WHERE runbook_search MATCH @q ORDER BY r DESC LIMIT @k", match, search, cancellationToken).ConfigureAwait(false));
            }

            if (search.Category is not null)
            {
                // Same-category sections: the best full-text matches among them, and any at all when none matches a word.
                if (match.Length > 0)
                {
                    candidates.AddRange(await QueryAsync(connection,
                        $"SELECT {Columns}, -bm25(runbook_search, 5.0, 1.0) AS r FROM runbook_search JOIN runbook_sections s ON s.id = runbook_search.rowid " +
                        $"WHERE runbook_search MATCH @q AND s.category = @c ORDER BY r DESC LIMIT {CategoryCandidates}", match, search, cancellationToken).ConfigureAwait(false));
                }

                if (!candidates.Any(c => c.Section.Category == search.Category))
                {
                    candidates.AddRange(await QueryAsync(connection,
                        $"SELECT {Columns}, 0.0 AS r FROM runbook_sections s WHERE s.category = @c ORDER BY s.id LIMIT {CategoryCandidates}", match, search, cancellationToken).ConfigureAwait(false));
                }
            }

            results.Add(Distinct(candidates));
        }

        return results;
    }

    private async Task<List<RunbookCandidate>> QueryAsync(DbConnection connection, string sql, string match, RunbookSearch search, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        KnowledgeDatabase.Add(command, "@q", match);
        KnowledgeDatabase.Add(command, "@k", search.Limit);
        KnowledgeDatabase.Add(command, "@c", search.Category);
        return await ReadSectionsAsync(command, withRank: true, cancellationToken).ConfigureAwait(false);
    }

    public override async Task SaveCitationsAsync(IReadOnlyList<(string RequestId, IReadOnlyList<Citation> Citations)> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO analysis_citations (request_id, citations) VALUES (@r, @c) ON CONFLICT (request_id) DO NOTHING";
        foreach (var (requestId, citations) in items)
        {
            command.Parameters.Clear();
            KnowledgeDatabase.Add(command, "@r", requestId);
            KnowledgeDatabase.Add(command, "@c", CitationJson.Write(citations));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
