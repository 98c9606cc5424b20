using Bifrost.Storage;

namespace Bifrost.Pipeline;

/// <summary>
/// One validated request from any channel (Kafka, REST, gRPC). <see cref="LogContent"/> is the raw excerpt:
/// the analyzer sees it; the store keeps only its redacted form.
/// </summary>
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
    string Language = "en");

/// <summary>The stored analysis after processing: COMPLETED, or FAILED with <see cref="StoredAnalysis.Error"/>.</summary>
/// <param name="Reused">The request_id was already stored in a final state: nothing was analysed again.</param>
public sealed record PipelineResult(StoredAnalysis Analysis, bool Reused);
