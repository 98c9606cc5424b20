using Bifrost.Pipeline;
using Bifrost.Storage;

namespace Bifrost.Api.Analyses;

/// <summary>
/// How REST and gRPC analyse: the pipeline shared with Kafka, then (when Kafka is on and
/// <c>api.publish_results</c>) the result is published to <c>analysis.result</c> like a Kafka request's.
/// </summary>
public sealed class ApiAnalysisRunner(AnalysisPipeline pipeline, IApiResultPublisher publisher)
{
    public Task<GetOrCreateResult> SubmitAsync(AnalysisSubmission submission, CancellationToken ct) => pipeline.SubmitAsync(submission, ct);

    /// <summary>Analyses now; a <see cref="PipelineResult.Conflict"/> (the caller's request_id reused for other content) is the caller's to answer (409).</summary>
    public async Task<PipelineResult> ProcessAsync(AnalysisSubmission submission, CancellationToken ct)
    {
        var result = await pipeline.ProcessAsync(submission, ct).ConfigureAwait(false);
        if (!result.Reused && result.Analysis.Status == AnalysisStatus.COMPLETED)
        {
            await publisher.PublishAsync(result.Analysis, ct).ConfigureAwait(false);
        }

        return result;
    }
}

/// <summary>Publishes an API-originated analysis to Kafka's result topic; a no-op when Kafka is off.</summary>
public interface IApiResultPublisher
{
    Task PublishAsync(StoredAnalysis analysis, CancellationToken ct);
}

/// <summary>Used while Kafka is not configured (or <c>api.publish_results</c> is false).</summary>
public sealed class NoResultPublisher : IApiResultPublisher
{
    public Task PublishAsync(StoredAnalysis analysis, CancellationToken ct) => Task.CompletedTask;
}
