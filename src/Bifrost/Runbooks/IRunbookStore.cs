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

    /// <summary>Candidates for each search, in one round trip: the best full-text matches and the best sections of the same category.</summary>
    Task<IReadOnlyList<IReadOnlyList<RunbookCandidate>>> SearchManyAsync(IReadOnlyList<RunbookSearch> searches, CancellationToken cancellationToken);

    /// <summary>Stores what each request was given (first write per request_id wins, like the analysis itself).</summary>
    Task SaveCitationsAsync(IReadOnlyList<(string RequestId, IReadOnlyList<Citation> Citations)> items, CancellationToken cancellationToken);

    Task<IReadOnlyList<Citation>> GetCitationsAsync(string requestId, CancellationToken cancellationToken);
}
