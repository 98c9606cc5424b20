using System.Data.Common;
using Bifrost.Knowledge;

namespace Bifrost.Runbooks;

/// <summary>
/// SQLite: an FTS5 table (porter stemming) whose rowid is the section id, with the section's category as a token of its
/// own column. A search is "this category AND any of these words" (and the fingerprint as a word; an OR of the words
/// over everything when asked), ranked by <c>bm25</c> (title 5×, body 1×; negated so higher is better); one connection per batch.
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
        index.CommandText = "INSERT INTO runbook_search (rowid, title_words, body_words, category_words) VALUES (@id, @tw, @bw, @cw)";
        KnowledgeDatabase.Add(index, "@id", id);
        KnowledgeDatabase.Add(index, "@tw", KnowledgeText.ForIndex(section.Title));
        KnowledgeDatabase.Add(index, "@bw", KnowledgeText.ForIndex(section.Body));
        KnowledgeDatabase.Add(index, "@cw", KnowledgeText.CategoryToken(section.Category));
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

    public override async Task<IReadOnlyList<IReadOnlyList<RunbookHit>>> SearchManyAsync(IReadOnlyList<RunbookSearch> searches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(searches);
        var results = new List<IReadOnlyList<RunbookHit>>(searches.Count);
        if (searches.Count == 0)
        {
            return results;
        }

        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var search in searches)
        {
            var hits = new List<RunbookHit>();
            // Words and tokens are letters and digits only (KnowledgeText), quoted as FTS5 strings.
            var words = string.Join(" OR ", search.Words.Select(w => $"\"{w}\""));
            if (search.Category is not null && words.Length > 0)
            {
                // The category's posting list intersected with the words' inside the index; matches are not ranked here.
                hits.AddRange(await QueryAsync(connection, $"category_words : \"{KnowledgeText.CategoryToken(search.Category)}\" AND ({words})", ranked: false, MaxCategoryCandidates, cancellationToken).ConfigureAwait(false));
            }

            if (search.Fingerprint is not null)
            {
                hits.AddRange(await QueryAsync(connection, $"\"{search.Fingerprint}\"", ranked: false, search.Limit, cancellationToken).ConfigureAwait(false));
            }

            if (search.AnyCategory && words.Length > 0)
            {
                hits.AddRange(await QueryAsync(connection, words, ranked: true, search.Limit, cancellationToken).ConfigureAwait(false));
            }

            results.Add(Distinct(hits));
        }

        return results;
    }

    private static async Task<List<RunbookHit>> QueryAsync(DbConnection connection, string match, bool ranked, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = ranked
            ? "SELECT rowid, -bm25(runbook_search, 5.0, 1.0, 0.0) AS r FROM runbook_search WHERE runbook_search MATCH @q ORDER BY r DESC, rowid LIMIT @k"
            : "SELECT rowid, 0.0 FROM runbook_search WHERE runbook_search MATCH @q ORDER BY rowid LIMIT @k";
        KnowledgeDatabase.Add(command, "@q", match);
        KnowledgeDatabase.Add(command, "@k", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadHitsAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    public override async Task SaveLookupsAsync(IReadOnlyList<ComputedLookup> lookups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        if (lookups.Count == 0)
        {
            return;
        }

        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO runbook_lookups (lookup_key, computed_at, citations) VALUES (@k, @a, @c) ON CONFLICT (lookup_key, computed_at) DO NOTHING";
        foreach (var lookup in lookups)
        {
            command.Parameters.Clear();
            KnowledgeDatabase.Add(command, "@k", lookup.Key);
            KnowledgeDatabase.Add(command, "@a", Database.ToDb(lookup.At));
            KnowledgeDatabase.Add(command, "@c", CitationJson.Write(lookup.Citations));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
