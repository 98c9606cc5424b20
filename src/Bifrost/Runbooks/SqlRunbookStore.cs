using System.Data.Common;
using Bifrost.Knowledge;

namespace Bifrost.Runbooks;

/// <summary>What both runbook stores share: listing, reading and the citation table. Search and indexing differ.</summary>
public abstract class SqlRunbookStore(KnowledgeDatabase database) : IRunbookStore
{
    protected const string Columns = "s.id, s.source_path, s.position, s.title, s.anchor, s.body, s.category, s.added_at, s.added_by";

    /// <summary>Most sections of one category a search returns (a bound on the scoring work per lookup).</summary>
    public const int MaxCategoryCandidates = 200;

    protected KnowledgeDatabase Database => database;

    public abstract Task<IReadOnlyList<IReadOnlyList<RunbookHit>>> SearchManyAsync(IReadOnlyList<RunbookSearch> searches, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<RunbookSection>> GetSectionsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // Ids are numbers: written into the statement, one text for both stores.
        command.CommandText = $"SELECT {Columns} FROM runbook_sections s WHERE s.id IN ({string.Join(", ", ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
        return [.. (await ReadSectionsAsync(command, withRank: false, cancellationToken).ConfigureAwait(false)).Select(c => c.Section)];
    }

    /// <summary>Reads (id, rank) rows of each result set of a search, in turn.</summary>
    protected static async Task<List<RunbookHit>> ReadHitsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var hits = new List<RunbookHit>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hits.Add(new RunbookHit(reader.GetInt64(0), Convert.ToDouble(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return hits;
    }

    /// <summary>Inserts one section (and its search entry where the index is separate), returning its id.</summary>
    protected abstract Task InsertSectionAsync(DbConnection connection, DbTransaction tx, string sourcePath, RunbookSectionDraft section, string by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>After sections were stored (outside the transaction).</summary>
    protected virtual Task AfterChangeAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deletes a file's sections (and their search entries), returning how many.</summary>
    protected abstract Task<int> DeleteSourceAsync(DbConnection connection, DbTransaction tx, string sourcePath, CancellationToken cancellationToken);

    public abstract Task SaveLookupsAsync(IReadOnlyList<ComputedLookup> lookups, CancellationToken cancellationToken);

    public async Task<RunbookImport> ReplaceSourceAsync(string sourcePath, IReadOnlyList<RunbookSectionDraft> sections, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sections);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var removed = await DeleteSourceAsync(connection, tx, sourcePath, cancellationToken).ConfigureAwait(false);
        foreach (var section in sections)
        {
            await InsertSectionAsync(connection, tx, sourcePath, section, by, at, cancellationToken).ConfigureAwait(false);
        }

        await KnowledgeVersions.BumpAsync(connection, tx, KnowledgeVersions.Runbooks, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        await AfterChangeAsync(connection, cancellationToken).ConfigureAwait(false);
        return new RunbookImport(sourcePath, removed, sections.Count);
    }

    public async Task<int> RemoveSourceAsync(string sourcePath, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var removed = await DeleteSourceAsync(connection, tx, sourcePath, cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            await KnowledgeVersions.BumpAsync(connection, tx, KnowledgeVersions.Runbooks, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    public async Task<IReadOnlyList<RunbookSource>> ListSourcesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT source_path, COUNT(*), MAX(added_at), MAX(added_by) FROM runbook_sections GROUP BY source_path ORDER BY source_path";
        var sources = new List<RunbookSource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sources.Add(new RunbookSource(reader.GetString(0), Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), database.ReadTime(reader, 2), reader.GetString(3)));
        }

        return sources;
    }

    public async Task<IReadOnlyList<RunbookSection>> ListSectionsAsync(string? sourcePath, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM runbook_sections s{(sourcePath is null ? "" : " WHERE s.source_path = @p")} ORDER BY s.source_path, s.position";
        KnowledgeDatabase.Add(command, "@p", sourcePath);
        return [.. (await ReadSectionsAsync(command, withRank: false, cancellationToken).ConfigureAwait(false)).Select(c => c.Section)];
    }

    public async Task<RunbookSection?> GetSectionAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM runbook_sections s WHERE s.id = @id";
        KnowledgeDatabase.Add(command, "@id", id);
        var rows = await ReadSectionsAsync(command, withRank: false, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].Section;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM runbook_sections";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<Citation>> GetCitationsAsync(string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT citations FROM runbook_lookups WHERE lookup_key = @k AND computed_at <= @at ORDER BY computed_at DESC LIMIT 1";
        KnowledgeDatabase.Add(command, "@k", key);
        KnowledgeDatabase.Add(command, "@at", database.ToDb(at));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? CitationJson.Read(json) : [];
    }

    /// <summary>Reads rows of <see cref="Columns"/> (plus a rank column when <paramref name="withRank"/>), each result set in turn.</summary>
    protected async Task<List<RunbookCandidate>> ReadSectionsAsync(DbCommand command, bool withRank, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadSectionsAsync(reader, withRank, cancellationToken).ConfigureAwait(false);
    }

    protected async Task<List<RunbookCandidate>> ReadSectionsAsync(DbDataReader reader, bool withRank, CancellationToken cancellationToken)
    {
        var rows = new List<RunbookCandidate>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new RunbookCandidate(
                new RunbookSection(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    KnowledgeDatabase.OptionalString(reader, 6), database.ReadTime(reader, 7), reader.GetString(8)),
                withRank ? Convert.ToDouble(reader.GetValue(9), System.Globalization.CultureInfo.InvariantCulture) : 0));
        }

        return rows;
    }

    /// <summary>Keeps each section once (its best rank), best first.</summary>
    protected static IReadOnlyList<RunbookHit> Distinct(IEnumerable<RunbookHit> hits) =>
        [.. hits.GroupBy(h => h.SectionId).Select(g => g.MaxBy(h => h.Rank)!).OrderByDescending(h => h.Rank).ThenBy(h => h.SectionId)];
}
