using System.Text.Json.Nodes;
using Bifrost.Pipeline;

namespace Bifrost.Heimdall;

/// <summary>A release-2 job's outcome: the pipeline's stored analysis, or why there is none (its log was not found).</summary>
public sealed record V2Outcome(PipelineResult? Result, string? ErrorCode = null, string? ErrorMessage = null, double SecondsSpent = 0);

/// <summary>
/// Runs a release-2 job: its log text read from Heimdall's database (waiting for a row still being committed, and for
/// the database itself), then the same pipeline as every request — stored by idempotency_key (a repeat gets the stored
/// analysis), redacted before it is stored, its priority from the log's level, its profile from model_policy.source,
/// its analysis bounded by timeout_ms.
/// </summary>
/// <param name="resultTopic">Where release-2 results go (kafka.topics.result; a job names no callback topic).</param>
public sealed class V2JobRunner(HeimdallLogSource logs, string resultTopic, TimeProvider time)
{
    public async Task<V2Outcome> RunAsync(V2Job job, Func<AnalysisSubmission, CancellationToken, Task<PipelineResult>> process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(process);
        var started = time.GetTimestamp();
        var lookup = await logs.LookupAsync(job.LogId, cancellationToken).ConfigureAwait(false);
        if (lookup.Entry is not { } entry)
        {
            return new V2Outcome(null, lookup.ErrorCode, lookup.ErrorMessage, time.GetElapsedTime(started).TotalSeconds);
        }

        return new V2Outcome(await process(Submission(job, entry), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The job and its log_entries row as the request every channel submits.</summary>
    public AnalysisSubmission Submission(V2Job job, LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(entry);
        var metadata = new JsonObject
        {
            ["job_id"] = job.JobId,
            ["event_id"] = entry.EventId,
            ["log_level"] = job.LogLevel ?? entry.Severity,
        };
        if (job.ModelPolicyJson is not null)
        {
            metadata["model_policy"] = JsonNode.Parse(job.ModelPolicyJson);
        }

        return new AnalysisSubmission(
            RequestId: job.IdempotencyKey,
            CorrelationId: job.TraceId ?? job.JobId,
            LogId: job.LogId,
            LogContent: entry.LogContent,
            ServiceName: string.IsNullOrWhiteSpace(entry.ServiceName) ? Messaging.RequestParser.Unknown : entry.ServiceName,
            Environment: string.IsNullOrWhiteSpace(entry.Environment) ? Messaging.RequestParser.Unknown : entry.Environment,
            Priority: job.LogLevel is null ? LogLevels.ToPriority(entry.Severity) : job.Priority,
            CallbackTopic: resultTopic,
            MetadataJson: metadata.ToJsonString(),
            Source: Storage.AnalysisSources.Kafka,
            Timestamp: job.Timestamp,
            Dialect: Dialect.V2.Name(),
            TenantId: job.TenantId,
            ModelProfile: job.ModelSource,
            Timeout: job.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
    }
}
