namespace Bifrost.Runbooks;

/// <summary>
/// Runbook sections with full-text search in the store itself (PostgreSQL tsvector + GIN, SQLite FTS5), and the
/// citations each analysis was given. Every change to sections bumps the <c>runbooks</c> knowledge version in the
/// same transaction (serving instances drop their cached lookups).
/// </summary>
public interface IRunbookStore
{
    /// <summary>Stores a file's sections, replacing every section stored before under the same path.</summary>
    Task<RunbookImport> ReplaceSourceAsync(string sourcePath, IReadOnlyList<RunbookSectionDraft> sections, string by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes a file's sections; returns how many there were.</summary>
    Task<int> RemoveSourceAsync(string sourcePath, CancellationToken cancellationToken);

    Task<IReadOnlyList<RunbookSource>> ListSourcesAsync(CancellationToken cancellationToken);

    /// <summary>Sections in file and position order; one file's when <paramref name="sourcePath"/> is given.</summary>
    Task<IReadOnlyList<RunbookSection>> ListSectionsAsync(string? sourcePath, CancellationToken cancellationToken);

    Task<RunbookSection?> GetSectionAsync(long id, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>The ids of each search's candidate sections (see <see cref="RunbookSearch"/>), all searches in one round trip.</summary>
    Task<IReadOnlyList<IReadOnlyList<RunbookHit>>> SearchManyAsync(IReadOnlyList<RunbookSearch> searches, CancellationToken cancellationToken);

    /// <summary>The stored sections with these ids (those that still exist).</summary>
    Task<IReadOnlyList<RunbookSection>> GetSectionsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Stores computed lookups (key, when, what was cited — possibly nothing); a repeated (key, time) is kept once.</summary>
    Task SaveLookupsAsync(IReadOnlyList<ComputedLookup> lookups, CancellationToken cancellationToken);

    /// <summary>
    /// What an analysis with lookup key <paramref name="key"/> (<see cref="RunbookLookup.Key"/>) finished at
    /// <paramref name="at"/> cited: the key's newest lookup computed at or before then; empty when none.
    /// </summary>
    Task<IReadOnlyList<Citation>> GetCitationsAsync(string key, DateTimeOffset at, CancellationToken cancellationToken);
}
