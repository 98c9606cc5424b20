using Bifrost.Configuration;
using Bifrost.Heimdall;
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
/// first read from Heimdall's database, is handled outside its lane's order (<see cref="HandleJob"/>).
/// </summary>
public sealed partial class MessageHandler
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
        var allowed = new HashSet<string>(heimdall.Value.AllowedCallbackTopics, StringComparer.Ordinal) { heimdall.Value.CallbackTopic };
        _parser = new RequestParser(_kafka.MaxMessageBytes, allowed, heimdall.Value.CallbackTopic, releases.Value.ForcedDialect);
        _jobs = new V2JobRunner(logs, heimdall.Value, time);
        _resultTopic = heimdall.Value.CallbackTopic;
    }

    private readonly string _resultTopic;

    /// <summary>
    /// Processes <paramref name="record"/> and publishes its outcome, but only after <paramref name="publishAfter"/>
    /// (the previous record of the same lane) has published: records with the same key are processed
    /// concurrently yet their results leave in consumption order.
    /// </summary>
    public async Task HandleAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, Task publishAfter, CancellationToken cancellationToken)
    {
        var offset = record.Offset.Value;
        using var span = Telemetry.BifrostTracing.StartConsume(record.Topic, record.Partition.Value, offset, null, _kafka.GroupId, record.Message.Headers);
        var parsed = Parse(record);
        if (parsed.Job is { } job)
        {
            HandleJob(record, tracker, job, cancellationToken);
            return;
        }

        if (parsed.Rejection is { } rejection)
        {
            await InOrder(publishAfter).ConfigureAwait(false);
            await RejectAsync(record, tracker, rejection, cancellationToken).ConfigureAwait(false);
            return;
        }

        var request = parsed.Request!;
        Telemetry.BifrostTracing.SetRequest(span, request.RequestId, request.CorrelationId, request.LogId);
        using var scope = BeginScope(record, request.RequestId, request.CorrelationId, request.LogId);
        PipelineResult result;
        try
        {
            result = await _pipeline.ProcessAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await InOrder(publishAfter).ConfigureAwait(false);
            await FailUnexpectedAsync(record, tracker, request, ex, cancellationToken).ConfigureAwait(false);
            return;
        }

        await InOrder(publishAfter).ConfigureAwait(false);
        await PublishOutcomeAsync(record, tracker, request, parsed.Dialect, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A release-2 job runs on its own, not in its lane's order: its log may take seconds to appear in Heimdall's
    /// database (or the database may be down), and records of other keys sharing the lane must not wait for that. Jobs
    /// are keyed by their unique job_id, so no order between records of one key is given up. Its offset stays
    /// uncommitted until its result is acknowledged, and it counts as in flight: too many waiting jobs pause
    /// consumption (kafka.max_in_flight), as a database outage of Bifrost's own does.
    /// </summary>
    private void HandleJob(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, V2Job job, CancellationToken cancellationToken) =>
        _ = Task.Run(() => HandleJobAsync(record, tracker, job, cancellationToken), CancellationToken.None);

    private async Task HandleJobAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, V2Job job, CancellationToken cancellationToken)
    {
        using var scope = BeginScope(record, job.IdempotencyKey, job.TraceId, job.LogId);
        var reply = V2Reply.For(job);
        var ids = new RequestRejection("", "", job.IdempotencyKey, job.TraceId, job.LogId, true, Dialect.V2, job.JobId, job.IdempotencyKey, job.TraceId);
        try
        {
            var outcome = await _jobs.RunAsync(job, (submission, ct) => _pipeline.ProcessAsync(submission, ct), cancellationToken).ConfigureAwait(false);
            if (outcome.Result is { } result)
            {
                LogCompleted(result.Analysis.Id, result.Reused);
                await PublishResultAsync(record, tracker, ids, DialectMessages.Result(Dialect.V2, result.Analysis, reply, _kafka.ResultHeaders), result.Analysis, cancellationToken).ConfigureAwait(false);
                return;
            }

            LogJobFailed(job.JobId, outcome.ErrorCode!, outcome.ErrorMessage!);
            await PublishFailedJobAsync(record, tracker, ids, reply, outcome.ErrorCode!, outcome.ErrorMessage!, outcome.SecondsSpent, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: not acknowledged, so redelivered to whoever owns the partition next.
        }
        catch (Exception ex)
        {
            // A bug must neither stall the partition nor leave the job RUNNING: it fails, with what went wrong.
            LogUnexpected(ex.GetType().Name, ex.Message);
            await PublishFailedJobAsync(record, tracker, ids, reply, ErrorCodes.AnalysisFailed, $"internal error: {ex.GetType().Name}: {ex.Message}", 0, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task PublishFailedJobAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, RequestRejection ids, V2Reply reply, string code, string message, double seconds, CancellationToken cancellationToken)
    {
        var failed = new Message<byte[]?, byte[]?> { Key = V2ResultMessage.Key(reply), Value = V2ResultMessage.FailedValue(reply, code, message, _time.GetUtcNow(), seconds) };
        return PublishResultAsync(record, tracker, ids, failed, null, cancellationToken);
    }

    /// <summary>
    /// True when records may be handed over in batches (<see cref="HandleBatchAsync"/>): the analyzer answers at
    /// once, and no tracer listens (a span per record needs its own async context, which the per-record path has).
    /// </summary>
    public bool HandlesBatches => _pipeline.AnalyzesInstantly && !Telemetry.BifrostTracing.Pipeline.HasListeners();

    /// <summary>
    /// A lane's queued records as one unit: parsed, analysed and stored together (one batched write), then every
    /// outcome published in consumption order. Same outcomes as <see cref="HandleAsync"/> for each record.
    /// </summary>
    public async Task HandleBatchAsync(IReadOnlyList<(ConsumeResult<byte[]?, byte[]?> Record, OffsetTracker Tracker)> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var parsed = new ParseResult[items.Count];
        var requests = new List<AnalysisSubmission>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            parsed[i] = Parse(items[i].Record);
            if (parsed[i].Request is { } request)
            {
                requests.Add(request);
            }
            else if (parsed[i].Job is { } job)
            {
                HandleJob(items[i].Record, items[i].Tracker, job, cancellationToken);
            }
        }

        PipelineResult[]? results = null;
        Exception? failure = null;
        try
        {
            results = await _pipeline.ProcessManyAsync(requests, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = ex;
        }

        var next = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var (record, tracker) = items[i];
            if (parsed[i].Job is not null)
            {
                continue; // on its own (HandleJob)
            }

            if (parsed[i].Rejection is { } rejection)
            {
                await RejectAsync(record, tracker, rejection, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var request = parsed[i].Request!;
            var result = results?[next++];
            using var scope = BeginScope(record, request.RequestId, request.CorrelationId, request.LogId);
            if (result is null)
            {
                await FailUnexpectedAsync(record, tracker, request, failure!, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PublishOutcomeAsync(record, tracker, request, parsed[i].Dialect, result, cancellationToken).ConfigureAwait(false);
            }
        }
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

    private async Task PublishOutcomeAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, AnalysisSubmission request, Dialect dialect, PipelineResult result, CancellationToken cancellationToken)
    {
        var analysis = result.Analysis;
        if (analysis.Status == AnalysisStatus.COMPLETED)
        {
            LogCompleted(analysis.Id, result.Reused);
            await PublishResultAsync(record, tracker, Ids(request), DialectMessages.Result(dialect, analysis, null, _kafka.ResultHeaders), analysis, cancellationToken).ConfigureAwait(false);
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
    private async Task PublishResultAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, RequestRejection ids, Message<byte[]?, byte[]?> message, StoredAnalysis? analysis, CancellationToken cancellationToken)
    {
        var offset = record.Offset.Value;
        var topic = analysis?.Request.CallbackTopic ?? _resultTopic;
        // The publish span's context travels with the result (W3C traceparent), continuing the request's trace;
        // without a span, the request's own context does. Neither: no headers object at all.
        var traced = _kafka.TraceHeaders && (Telemetry.BifrostTracing.Pipeline.HasListeners() || record.Message.Headers is { Count: > 0 });
        var headers = message.Headers ?? (traced ? new Headers() : null);
        using var publishSpan = Telemetry.BifrostTracing.StartPublish(topic, traced ? headers : null);
        if (publishSpan is null && traced)
        {
            Telemetry.TraceContextHeaders.Forward(record.Message.Headers, headers!);
        }

        message.Headers = headers is { Count: > 0 } ? headers : null;
        var receivedAt = analysis?.Request.ReceivedAt ?? _time.GetUtcNow();
        await _publisher.PublishAsync(topic, message, () => { tracker.Complete(offset); Telemetry.BifrostMetrics.ResultPublished(topic, record.Message.Timestamp, receivedAt); },
            error => _ = PublishDeadLetterAsync(record, tracker, "PUBLISH_FAILED", $"result could not be published to {topic}: {error.Code} {error.Reason}",
                Math.Max(1, analysis?.Attempts ?? 1), ids, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the previous record's publish step; its failure is its own (already logged), not ours.</summary>
    private static async Task InOrder(Task previous)
    {
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch (Exception) when (!previous.IsCanceled)
        {
        }
    }

    private Task PublishDeadLetterAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, string errorCode, string errorMessage, int attempts,
        RequestRejection ids, CancellationToken cancellationToken)
    {
        var timestamp = record.Message.Timestamp;
        var letter = new DeadLetter(
            errorCode, errorMessage, Pipeline.AnalysisPipeline.TruncateToMilliseconds(_time.GetUtcNow()), attempts,
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
