using System.Diagnostics;
using Bifrost.Common;
using Bifrost.Configuration;
using Bifrost.Heimdall;
using Bifrost.Messaging.Worker;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Bifrost.Messaging;

/// <summary>
/// One consumed record to its one outcome: a result on the callback topic, or a DLQ record. The record's
/// offset is completed in its <see cref="OffsetTracker"/> only when the broker acknowledged that outcome.
/// Invalid records go to the DLQ at once; analysis failures after retries go there as ANALYSIS_FAILED. Results and
/// dead letters are written in the dialect of the request (<see cref="DialectMessages"/>); a release-2 job, whose log is
/// first read from Heimdall's database, is answered outside its lane's order (<see cref="StartJob"/>).
/// </summary>
public sealed partial class MessageHandler : ILaneHandler<RecordOutcome>
{
    private readonly AnalysisPipeline _pipeline;
    private readonly KafkaPublisher _publisher;
    private readonly KafkaOptions _kafka;
    private readonly RequestParser _parser;
    private readonly TimeProvider _time;
    private readonly ILogger<MessageHandler> _logger;
    private readonly V2JobRunner _jobs;

    public MessageHandler(AnalysisPipeline pipeline, KafkaPublisher publisher, IOptions<KafkaOptions> kafka, IOptions<HeimdallOptions> heimdall,
        IOptions<HeimdallReleaseOptions> releases, HeimdallLogSource logs, TimeProvider time, ILogger<MessageHandler> logger)
    {
        _pipeline = pipeline;
        _publisher = publisher;
        _kafka = kafka.Value;
        _time = time;
        _logger = logger;
        var allowed = new HashSet<string>(heimdall.Value.AllowedCallbackTopics, StringComparer.Ordinal) { _kafka.Topics.Result };
        _parser = new RequestParser(_kafka.MaxMessageBytes, allowed, _kafka.Topics.Result, releases.Value.ForcedDialect);
        _jobs = new V2JobRunner(logs, _kafka.Topics.Result, time);
    }

    /// <summary>
    /// A lane's records, all started at once: parsed (anything invalid is rejected without reaching the pipeline),
    /// then every valid request handed to the pipeline in one call (one batched write for an instant analyzer).
    /// Each record's consume span starts here and ends when its outcome is published. A release-2 job is started on its
    /// own (<see cref="StartJob"/>) and its outcome here only holds its place.
    /// </summary>
    public async Task<IReadOnlyList<RecordOutcome>> ProcessAsync(IReadOnlyList<WorkItem> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new RecordOutcome[batch.Count];
        var requests = new List<AnalysisSubmission>(batch.Count);
        var traces = new List<Activity?>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var record = batch[i].Record;
            var span = Telemetry.BifrostTracing.StartConsume(record.Topic, record.Partition.Value, record.Offset.Value, null, _kafka.GroupId, record.Message.Headers);
            var parsed = Parse(record);
            outcomes[i] = new RecordOutcome(batch[i], parsed.Request, parsed.Rejection, parsed.Job is null ? span : null);
            if (parsed.Job is { } job)
            {
                outcomes[i].AnsweredOnItsOwn = true;
                StartJob(batch[i], job, span, cancellationToken);
            }
            else if (parsed.Request is { } request)
            {
                Telemetry.BifrostTracing.SetRequest(span, request.RequestId, request.CorrelationId, request.LogId);
                requests.Add(request);
                traces.Add(span);
            }
        }

        if (requests.Count == 0)
        {
            return outcomes;
        }

        Task<PipelineResult>[] results;
        try
        {
            results = await _pipeline.ProcessAsync(requests, traces, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failed = Task.FromException<PipelineResult>(ex);
            results = [.. requests.Select(_ => failed)];
        }

        var next = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome.Request is not null)
            {
                outcome.Result = results[next++];
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Waits for one record's outcome and publishes it: its result to the callback topic, or a DLQ record (invalid
    /// request, failed analysis, or a bug: a record is never left without an outcome). The lane calls this in
    /// consumption order, one record at a time.
    /// </summary>
    public async Task PublishAsync(RecordOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.AnsweredOnItsOwn)
        {
            return;
        }

        var (record, tracker) = (outcome.Item.Record, outcome.Item.Tracker);
        try
        {
            if (outcome.Rejection is { } rejection)
            {
                await RejectAsync(record, tracker, rejection, cancellationToken).ConfigureAwait(false);
                return;
            }

            var request = outcome.Request!;
            using var scope = BeginScope(record, request.RequestId, request.CorrelationId, request.LogId);
            PipelineResult result;
            try
            {
                result = await outcome.Result!.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await FailUnexpectedAsync(record, tracker, request, ex, cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                await PublishOutcomeAsync(record, tracker, request, result, outcome.Span, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await FailUnexpectedAsync(record, tracker, request, ex, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Telemetry.BifrostTracing.Stop(outcome.Span);
        }
    }

    /// <summary>
    /// A release-2 job runs on its own, not in its lane's order: its log may take seconds to appear in Heimdall's
    /// database (or the database may be down), and records of other keys sharing the lane must not wait for that. Jobs
    /// are keyed by their unique job_id, so no order between records of one key is given up. Its offset stays
    /// uncommitted until its outcome is acknowledged, so it counts as in flight: waiting jobs pause consumption at
    /// kafka.max_in_flight (back-pressure), as an outage of Bifrost's own database does, instead of stalling a lane.
    /// </summary>
    private void StartJob(WorkItem item, V2Job job, Activity? span, CancellationToken cancellationToken) =>
        _ = Task.Run(() => RunJobAsync(item, job, span, cancellationToken), CancellationToken.None);

    private async Task RunJobAsync(WorkItem item, V2Job job, Activity? span, CancellationToken cancellationToken)
    {
        var (record, tracker) = (item.Record, item.Tracker);
        Telemetry.BifrostTracing.SetRequest(span, job.IdempotencyKey, job.TraceId, job.LogId);
        // This job's work nests under its own span; Activity.Current is async-local, so it ends with this task.
        Activity.Current = span ?? Activity.Current;
        using var scope = BeginScope(record, job.IdempotencyKey, job.TraceId, job.LogId);
        var reply = V2Reply.For(job);
        var ids = new RequestRejection("", "", job.IdempotencyKey, job.TraceId, job.LogId, true, Dialect.V2, job.JobId, job.IdempotencyKey, job.TraceId);
        try
        {
            var outcome = await _jobs.RunAsync(job, (submission, ct) => _pipeline.ProcessAsync(submission, ct), cancellationToken).ConfigureAwait(false);
            if (outcome.Result is { } result)
            {
                LogCompleted(result.Analysis.Id, result.Reused);
                await PublishResultAsync(record, tracker, ids, DialectMessages.Result(Dialect.V2, result.Analysis, reply, _kafka.ResultHeaders), result.Analysis, span, cancellationToken).ConfigureAwait(false);
                return;
            }

            LogJobFailed(job.JobId, outcome.ErrorCode!, outcome.ErrorMessage!);
            await PublishFailedJobAsync(record, tracker, ids, reply, outcome.ErrorCode!, outcome.ErrorMessage!, outcome.SecondsSpent, span, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: not acknowledged, so redelivered to whoever owns the partition next.
        }
        catch (Exception ex)
        {
            // A bug must neither stall the partition nor leave the job RUNNING: it fails, with what went wrong.
            LogUnexpected(ex.GetType().Name, ex.Message);
            await PublishFailedJobAsync(record, tracker, ids, reply, ErrorCodes.AnalysisFailed, $"internal error: {ex.GetType().Name}: {ex.Message}", 0, span, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Telemetry.BifrostTracing.Stop(span);
        }
    }

    private Task PublishFailedJobAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, RequestRejection ids, V2Reply reply, string code, string message, double seconds, Activity? span, CancellationToken cancellationToken)
    {
        var failed = new Message<byte[]?, byte[]?> { Key = V2ResultMessage.Key(reply), Value = V2ResultMessage.FailedValue(reply, code, message, _time.GetUtcNow(), seconds) };
        return PublishResultAsync(record, tracker, ids, failed, null, span, cancellationToken);
    }

    private ParseResult Parse(ConsumeResult<byte[]?, byte[]?> record)
    {
        try
        {
            return _parser.Parse(record.Message.Value);
        }
        catch (Exception ex)
        {
            // Safety net: an exception here would end this lane's loop and stall every partition behind it.
            return new ParseResult(null, new RequestRejection(ErrorCodes.InvalidJson, $"value could not be read: {ex.GetType().Name}: {ex.Message}", null, null, null, false));
        }
    }

    private IDisposable? BeginScope(ConsumeResult<byte[]?, byte[]?> record, string? requestId, string? correlationId, long? logId) =>
        _logger.BeginScope(new MessageScope(requestId, correlationId, logId, record.Topic, record.Partition.Value, record.Offset.Value));

    private async Task RejectAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, RequestRejection rejection, CancellationToken cancellationToken)
    {
        using var _ = BeginScope(record, rejection.RequestId, rejection.CorrelationId, rejection.LogId);
        LogRejected(rejection.ErrorCode, rejection.Message);
        await PublishDeadLetterAsync(record, tracker, rejection.ErrorCode, rejection.Message, 1, rejection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A bug must not stall the partition: the record goes to the DLQ with what went wrong.</summary>
    private Task FailUnexpectedAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, AnalysisSubmission request, Exception ex, CancellationToken cancellationToken)
    {
        LogUnexpected(ex.GetType().Name, ex.Message);
        return PublishDeadLetterAsync(record, tracker, ErrorCodes.AnalysisFailed, $"internal error: {ex.GetType().Name}: {ex.Message}", 1, Ids(request), cancellationToken);
    }

    /// <summary>What a dead letter of <paramref name="request"/> carries to identify it (guide and release 1 alike).</summary>
    private static RequestRejection Ids(AnalysisSubmission request) =>
        new("", "", request.RequestId, request.CorrelationId, request.LogId, true, Dialects.FromName(request.Dialect));

    private async Task PublishOutcomeAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, AnalysisSubmission request, PipelineResult result, Activity? span, CancellationToken cancellationToken)
    {
        var analysis = result.Analysis;
        if (analysis.Status == AnalysisStatus.COMPLETED)
        {
            LogCompleted(analysis.Id, result.Reused);
            var message = DialectMessages.Result(Dialects.FromName(request.Dialect), analysis, null, _kafka.ResultHeaders);
            await PublishResultAsync(record, tracker, Ids(request), message, analysis, span, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PublishDeadLetterAsync(record, tracker, ErrorCodes.AnalysisFailed, analysis.Error ?? "analysis failed", Math.Max(1, analysis.Attempts), Ids(request), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes a result record (any dialect) to its topic, completing the record's offset once the broker has it; a
    /// result the broker refuses for good becomes a dead letter instead.
    /// </summary>
    private async Task PublishResultAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, RequestRejection ids, Message<byte[]?, byte[]?> message, StoredAnalysis? analysis, Activity? span, CancellationToken cancellationToken)
    {
        var offset = record.Offset.Value;
        var topic = analysis?.Request.CallbackTopic ?? _kafka.Topics.Result;
        // The publish span's context travels with the result (W3C traceparent), continuing the request's trace;
        // without a span, the request's own context does. Neither: no trace headers at all.
        var traced = _kafka.TraceHeaders && (Telemetry.BifrostTracing.Pipeline.HasListeners() || record.Message.Headers is { Count: > 0 });
        var headers = message.Headers ?? (traced ? new Headers() : null);
        using var publishSpan = Telemetry.BifrostTracing.StartPublish(topic, traced ? headers : null, span);
        if (publishSpan is null && traced)
        {
            Telemetry.TraceContextHeaders.Forward(record.Message.Headers, headers!);
        }

        message.Headers = headers is { Count: > 0 } ? headers : null;
        var receivedAt = analysis?.Request.ReceivedAt ?? _time.GetUtcNow();
        await _publisher.PublishAsync(topic, message, () => { tracker.Complete(offset); Telemetry.BifrostMetrics.ResultPublished(topic, record.Message.Timestamp, receivedAt); },
            error => _ = PublishDeadLetterAsync(record, tracker, ErrorCodes.PublishFailed, $"result could not be published to {topic}: {error.Code} {error.Reason}",
                Math.Max(1, analysis?.Attempts ?? 1), ids, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private Task PublishDeadLetterAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, string errorCode, string errorMessage, int attempts,
        RequestRejection ids, CancellationToken cancellationToken)
    {
        var timestamp = record.Message.Timestamp;
        var letter = new DeadLetter(
            errorCode, errorMessage, _time.UtcNowMilliseconds(), attempts,
            record.Topic, record.Partition.Value, record.Offset.Value,
            timestamp.Type == TimestampType.NotAvailable ? null : DateTimeOffset.FromUnixTimeMilliseconds(timestamp.UnixTimestampMs),
            record.Message.Key, _kafka.GroupId, ids.RequestId, ids.CorrelationId, ids.LogId, record.Message.Value, ids.PayloadIsObject);
        return PublishDeadLetterAsync(letter, ids, tracker, cancellationToken);
    }

    private Task PublishDeadLetterAsync(DeadLetter letter, RequestRejection ids, OffsetTracker tracker, CancellationToken cancellationToken)
    {
        var message = DialectMessages.DeadLetter(letter, ids, _kafka.DlqHeaders);
        return _publisher.PublishAsync(_kafka.Topics.Dlq, message, () => { tracker.Complete(letter.OriginalOffset); Telemetry.BifrostMetrics.DlqRecord(letter.ErrorCode); }, error =>
        {
            if (letter.OriginalValue is { } value && error.Code == ErrorCode.MsgSizeTooLarge)
            {
                // The broker will not take the original bytes back: keep the reason and say what was dropped.
                _ = PublishDeadLetterAsync(letter with
                {
                    OriginalValue = null,
                    PayloadIsObject = false,
                    ErrorMessage = $"{letter.ErrorMessage} (original value of {value.Length} bytes not included: too large for {_kafka.Topics.Dlq})",
                }, ids, tracker, cancellationToken);
            }
            else
            {
                LogDeadLetterLost(letter.OriginalPartition, letter.OriginalOffset, error.Code, error.Reason);
            }
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 2050, Level = LogLevel.Warning, Message = "Rejected to the DLQ: {ErrorCode}: {Reason}")]
    private partial void LogRejected(string errorCode, string reason);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Debug, Message = "Analysis {AnalysisId} ready (stored result re-used: {Reused}); publishing")]
    private partial void LogCompleted(long analysisId, bool reused);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Error, Message = "Unexpected error while processing: {ErrorType}: {Error}")]
    private partial void LogUnexpected(string errorType, string error);

    [LoggerMessage(EventId = 2054, Level = LogLevel.Warning, Message = "Release-2 job {JobId} failed: {ErrorCode}: {Error}")]
    private partial void LogJobFailed(string jobId, string errorCode, string error);

    [LoggerMessage(EventId = 2053, Level = LogLevel.Critical, Message = "DLQ record for partition {Partition} offset {Offset} rejected by the broker ({Code} {Reason}); the offset stays uncommitted")]
    private partial void LogDeadLetterLost(int partition, long offset, ErrorCode code, string reason);
}

/// <summary>One record of a lane's batch between <see cref="MessageHandler.ProcessAsync"/> and <see cref="MessageHandler.PublishAsync"/>.</summary>
public sealed class RecordOutcome(WorkItem item, AnalysisSubmission? request, RequestRejection? rejection, Activity? span)
{
    public WorkItem Item { get; } = item;

    /// <summary>The parsed request; null when the record was rejected.</summary>
    public AnalysisSubmission? Request { get; } = request;

    public RequestRejection? Rejection { get; } = rejection;

    /// <summary>The record's consume span (null when nobody traces), ended once the outcome is published.</summary>
    public Activity? Span { get; } = span;

    /// <summary>The pipeline's outcome for <see cref="Request"/>; may still be running.</summary>
    public Task<PipelineResult>? Result { get; set; }

    /// <summary>A release-2 job: answered outside the lane's order (<see cref="MessageHandler"/>), nothing to publish here.</summary>
    public bool AnsweredOnItsOwn { get; set; }
}
