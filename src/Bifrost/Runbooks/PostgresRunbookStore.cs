using System.Data.Common;
using Bifrost.Knowledge;
using Npgsql;

namespace Bifrost.Runbooks;

/// <summary>
/// PostgreSQL: a generated tsvector (english configuration; title weighted A, body D) with a GIN index. A search is
/// an OR of the query's words (<c>to_tsquery</c>), ranked by <c>ts_rank</c>; all searches of a batch go in one round trip.
/// </summary>
public sealed class PostgresRunbookStore(KnowledgeDatabase database) : SqlRunbookStore(database)
{
    protected override async Task InsertSectionAsync(DbConnection connection, DbTransaction tx, string sourcePath, RunbookSectionDraft section, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            "INSERT INTO runbook_sections (source_path, position, title, anchor, body, category, title_words, body_words, added_at, added_by) " +
            "VALUES (@p, @pos, @t, @a, @b, @c, @tw, @bw, @at, @by)";
        KnowledgeDatabase.Add(command, "@p", sourcePath);
        KnowledgeDatabase.Add(command, "@pos", section.Position);
        KnowledgeDatabase.Add(command, "@t", section.Title);
        KnowledgeDatabase.Add(command, "@a", section.Anchor);
        KnowledgeDatabase.Add(command, "@b", section.Body);
        KnowledgeDatabase.Add(command, "@c", section.Category);
        KnowledgeDatabase.Add(command, "@tw", KnowledgeText.ForIndex(section.Title));
        KnowledgeDatabase.Add(command, "@bw", KnowledgeText.ForIndex(section.Body));
        KnowledgeDatabase.Add(command, "@at", Database.ToDb(at));
        KnowledgeDatabase.Add(command, "@by", by);
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

    public override async Task<IReadOnlyList<IReadOnlyList<RunbookCandidate>>> SearchManyAsync(IReadOnlyList<RunbookSearch> searches, CancellationToken cancellationToken)
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
            var parts = new List<string>(2);
            var command = new NpgsqlBatchCommand(); // positional parameters ($1…): unnamed
            if (search.Words.Count > 0)
            {
                // Words are letters and digits only (KnowledgeText), so they are safe tsquery operands.
                command.Parameters.Add(new NpgsqlParameter { Value = string.Join(" | ", search.Words) });
                command.Parameters.Add(new NpgsqlParameter { Value = search.Limit });
                parts.Add($"(SELECT {Columns}, ts_rank(s.search, q) AS r FROM runbook_sections s, to_tsquery('english', $1) q WHERE s.search @@ q ORDER BY r DESC LIMIT $2)");
            }

            if (search.Category is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = search.Category });
                var n = command.Parameters.Count;
                var rank = search.Words.Count > 0 ? "ts_rank(s.search, to_tsquery('english', $1))" : "0::real";
                parts.Add($"(SELECT {Columns}, {rank} AS r FROM runbook_sections s WHERE s.category = ${n} ORDER BY r DESC LIMIT {CategoryCandidates})");
            }

            command.CommandText = parts.Count == 0 ? $"SELECT {Columns}, 0::real FROM runbook_sections s WHERE false" : string.Join(" UNION ALL ", parts);
            batch.BatchCommands.Add(command);
        }

        var results = new List<IReadOnlyList<RunbookCandidate>>(searches.Count);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            results.Add(Distinct(await ReadSectionsAsync(reader, withRank: true, cancellationToken).ConfigureAwait(false)));
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return results;
    }

    public override async Task SaveCitationsAsync(IReadOnlyList<(string RequestId, IReadOnlyList<Citation> Citations)> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        await using var connection = (NpgsqlConnection)await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO analysis_citations (request_id, citations) SELECT r, c::json FROM (SELECT unnest(@r) AS r, unnest(@c) AS c) u ON CONFLICT (request_id) DO NOTHING", connection);
        command.Parameters.AddWithValue("r", items.Select(i => i.RequestId).ToArray());
        command.Parameters.AddWithValue("c", items.Select(i => CitationJson.Write(i.Citations)).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
