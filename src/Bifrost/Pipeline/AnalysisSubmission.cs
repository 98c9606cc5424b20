using Bifrost.Storage;

namespace Bifrost.Pipeline;

/// <summary>
/// One validated request from any channel (Kafka, REST, gRPC, WebSocket, CLI). As a channel builds it, its texts are
/// raw; <see cref="SubmissionBoundary.Admit"/> (called by <see cref="AnalysisPipeline"/> on entry) redacts every
/// text field and the metadata before anything is stored, logged, analysed, sent to an LLM or published.
/// </summary>
/// <param name="Dialect">guide | v1 | v2: the contract the request came in (its result goes out in the same one); stored.</param>
/// <param name="TenantId">Heimdall release 2's tenant, stored and filterable.</param>
/// <param name="ModelProfile">An <c>ai.profiles</c> name the request asked for (release 2's <c>model_policy.source</c>).</param>
/// <param name="Timeout">Bounds this request's whole analysis (release 2's <c>timeout_ms</c>), retries included.</param>
/// <param name="Caller">Whose request_id namespace this is: "" for Kafka/Heimdall (one caller), else the API
/// caller (<c>Api.Auth.ApiCaller</c>): a request_id is idempotent per caller, never across callers.</param>
public sealed record AnalysisSubmission(
    string RequestId,
    string CorrelationId,
    long LogId,
    string LogContent,
    string ServiceName,
    string Environment,
    string Priority = "NORMAL",
    string AnalysisType = "error",
    string CallbackTopic = "analysis.result",
    string MetadataJson = "{}",
    string Source = AnalysisSources.Rest,
    DateTimeOffset? Timestamp = null,
    string Language = "en",
    string Dialect = "guide",
    string? TenantId = null,
    string? ModelProfile = null,
    TimeSpan? Timeout = null,
    string Caller = "")
{
    /// <summary>Digest of the redacted content (set by <see cref="SubmissionBoundary.Admit"/>): same id + other content = conflict.</summary>
    public string? RequestHash { get; init; }

    /// <summary>Already through <see cref="SubmissionBoundary.Admit"/>: its texts are redacted.</summary>
    public bool Admitted { get; init; }
}

/// <summary>The stored analysis after processing: COMPLETED, or FAILED with <see cref="StoredAnalysis.Error"/>.</summary>
/// <param name="Reused">The request_id was already stored in a final state: nothing was analysed again.</param>
/// <param name="Conflict">The caller's request_id is stored with other content: nothing was analysed or changed,
/// <see cref="Analysis"/> is the stored row (the API answers 409 and shows none of it).</param>
public sealed record PipelineResult(StoredAnalysis Analysis, bool Reused, bool Conflict = false);
