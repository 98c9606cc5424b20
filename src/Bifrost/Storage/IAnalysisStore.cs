namespace Bifrost.Storage;

/// <summary>
/// The analysis store: one row per <c>request_id</c> (unique). Implementations: PostgreSQL (production) and
/// SQLite (embedded default). Write methods take batches so the Kafka pipeline can coalesce many messages into
/// one round trip (see <see cref="StoreWriteBatcher"/>); single-item helpers live in <see cref="AnalysisStoreExtensions"/>.
/// Every method may throw on an unreachable database; callers treat that as transient ("can't store": retry).
/// </summary>
public interface IAnalysisStore
{
    /// <summary>"postgresql" or "sqlite".</summary>
    string Provider { get; }

    /// <summary>Creates or migrates the schema (versioned; safe to call on every start and concurrently).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Idempotent by request_id: inserts the rows that do not exist yet with <paramref name="initialStatus"/>
    /// (PROCESSING also sets started_at = received_at and attempts = 1) and returns the stored row for every
    /// request, in input order. An existing row is returned unchanged with Created = false.
    /// </summary>
    Task<IReadOnlyList<GetOrCreateResult>> GetOrCreateManyAsync(IReadOnlyList<NewAnalysis> requests, AnalysisStatus initialStatus, CancellationToken cancellationToken);

    /// <summary>
    /// Idempotent by request_id, one write for a request seen for the first time: inserts it COMPLETED (attempts 1).
    /// A request_id already stored keeps a final row (COMPLETED/FAILED) unchanged (Created = false: re-publish
    /// what is stored); a RECEIVED/PROCESSING row (a REST submission, a crash mid-analysis) is completed with
    /// this result (Created = true). Returns the stored row for every analysis, in input order.
    /// </summary>
    Task<IReadOnlyList<GetOrCreateResult>> SaveCompletedManyAsync(IReadOnlyList<FinishedAnalysis> analyses, CancellationToken cancellationToken);

    /// <summary>Applies status transitions and returns each row as stored afterwards, in input order.</summary>
    Task<IReadOnlyList<StoredAnalysis>> UpdateManyAsync(IReadOnlyList<StatusUpdate> updates, CancellationToken cancellationToken);

    Task<StoredAnalysis?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>By the stored key of the request_id column (<see cref="NewAnalysis.StorageKey"/>: the plain request_id for Kafka).</summary>
    Task<StoredAnalysis?> GetByRequestIdAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Newest first (by id), filtered, cursor-paged.</summary>
    Task<AnalysisPage> ListAsync(AnalysisQuery query, CancellationToken cancellationToken);

    Task<AnalysisStats> GetStatsAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Most frequent fingerprints among completed analyses received in [from, to).</summary>
    Task<IReadOnlyList<FingerprintSummary>> GetTopFingerprintsAsync(DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken);
}

public static class AnalysisStoreExtensions
{
    public static async Task<GetOrCreateResult> GetOrCreateAsync(this IAnalysisStore store, NewAnalysis request, AnalysisStatus initialStatus, CancellationToken cancellationToken)
        => (await store.GetOrCreateManyAsync([request], initialStatus, cancellationToken).ConfigureAwait(false))[0];

    public static async Task<GetOrCreateResult> SaveCompletedAsync(this IAnalysisStore store, FinishedAnalysis analysis, CancellationToken cancellationToken)
        => (await store.SaveCompletedManyAsync([analysis], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The analysis <paramref name="caller"/> stored under <paramref name="requestId"/> (another caller's is never found).</summary>
    public static Task<StoredAnalysis?> GetByRequestIdAsync(this IAnalysisStore store, string caller, string requestId, CancellationToken cancellationToken)
        => store.GetByRequestIdAsync(NewAnalysis.ToStorageKey(caller, requestId), cancellationToken);

    public static async Task<StoredAnalysis> UpdateAsync(this IAnalysisStore store, StatusUpdate update, CancellationToken cancellationToken)
        => (await store.UpdateManyAsync([update], cancellationToken).ConfigureAwait(false))[0];
}
