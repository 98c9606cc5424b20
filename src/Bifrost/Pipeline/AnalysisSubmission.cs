using Bifrost.Storage;

namespace Bifrost.Pipeline;

/// <summary>
/// One validated request from any channel (Kafka, REST, gRPC). <see cref="LogContent"/> is the raw excerpt:
/// the analyzer sees it; the store keeps only its redacted form.
/// </summary>
/// <param name="Dialect">guide | v1 | v2: the contract the request came in (its result goes out in the same one); stored.</param>
/// <param name="TenantId">Heimdall release 2's tenant, stored and filterable.</param>
/// <param name="ModelProfile">An <c>ai.profiles</c> name the request asked for (release 2's <c>model_policy.source</c>).</param>
/// <param name="Timeout">Bounds this request's whole analysis (release 2's <c>timeout_ms</c>), retries included.</param>
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
    TimeSpan? Timeout = null);

/// <summary>The stored analysis after processing: COMPLETED, or FAILED with <see cref="StoredAnalysis.Error"/>.</summary>
/// <param name="Reused">The request_id was already stored in a final state: nothing was analysed again.</param>
public sealed record PipelineResult(StoredAnalysis Analysis, bool Reused);
