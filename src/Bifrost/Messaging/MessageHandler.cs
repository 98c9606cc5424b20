using System.Diagnostics;
using Bifrost.Common;
using Bifrost.Configuration;
using Bifrost.Messaging.Worker;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Bifrost.Messaging;

/// <summary>
/// One consumed record to its one outcome: a result on the callback topic, or a DLQ record. The record's
/// offset is completed in its <see cref="OffsetTracker"/> only when the broker acknowledged that outcome.
/// Invalid records go to the DLQ at once; analysis failures after retries go there as ANALYSIS_FAILED.
/// </summary>
public sealed partial class MessageHandler : ILaneHandler<RecordOutcome>
{
    private readonly AnalysisPipeline _pipeline;
    private readonly KafkaPublisher _publisher;
    private readonly KafkaOptions _kafka;
    private readonly RequestParser _parser;
    private readonly TimeProvider _time;
    private readonly ILogger<MessageHandler> _logger;

    public MessageHandler(AnalysisPipeline pipeline, KafkaPublisher publisher, IOptions<KafkaOptions> kafka, IOptions<HeimdallOptions> heimdall, TimeProvider time, ILogger<MessageHandler> logger)
    {
        _pipeline = pipeline;
        _publisher = publisher;
        _kafka = kafka.Value;
        _time = time;
        _logger = logger;
        var allowed = new HashSet<string>(heimdall.Value.AllowedCallbackTopics, StringComparer.Ordinal) { _kafka.Topics.Result };
        _parser = new RequestParser(_kafka.MaxMessageBytes, allowed, _kafka.Topics.Result);
    }

    /// <summary>
    /// A lane's records, all started at once: parsed (anything invalid is rejected without reaching the pipeline),
    /// then every valid request handed to the pipeline in one call (one batched write for an instant analyzer).
    /// Each record's consume span starts here and ends when its outcome is published.
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
            outcomes[i] = new RecordOutcome(batch[i], parsed.Request, parsed.Rejection, span);
            if (parsed.Request is { } request)
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
        await PublishDeadLetterAsync(record, tracker, rejection.ErrorCode, rejection.Message, 1, rejection.RequestId, rejection.CorrelationId, rejection.LogId, rejection.PayloadIsObject, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A bug must not stall the partition: the record goes to the DLQ with what went wrong.</summary>
    private Task FailUnexpectedAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, AnalysisSubmission request, Exception ex, CancellationToken cancellationToken)
    {
        LogUnexpected(ex.GetType().Name, ex.Message);
        return PublishDeadLetterAsync(record, tracker, ErrorCodes.AnalysisFailed, $"internal error: {ex.GetType().Name}: {ex.Message}", 1, request.RequestId, request.CorrelationId, request.LogId, true, cancellationToken);
    }

    private async Task PublishOutcomeAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, AnalysisSubmission request, PipelineResult result, Activity? span, CancellationToken cancellationToken)
    {
        var offset = record.Offset.Value;
        var analysis = result.Analysis;
        if (analysis.Status == AnalysisStatus.COMPLETED)
        {
            // The publish span's context travels with the result (W3C traceparent), continuing the request's trace;
            // without a span, the request's own context does. Neither: no headers object at all.
            var headers = _kafka.TraceHeaders && (Telemetry.BifrostTracing.Pipeline.HasListeners() || record.Message.Headers is { Count: > 0 }) ? new Headers() : null;
            LogCompleted(analysis.Id, result.Reused);
            using var publishSpan = Telemetry.BifrostTracing.StartPublish(analysis.Request.CallbackTopic, headers, span);
            if (publishSpan is null && headers is not null)
            {
                Telemetry.TraceContextHeaders.Forward(record.Message.Headers, headers);
            }

            var message = new Message<byte[]?, byte[]?>
            {
                Key = ResultMessage.Key(analysis.Request.LogId),
                Value = ResultMessage.Value(analysis),
                Headers = headers is { Count: > 0 } ? headers : null,
            };
            await _publisher.PublishAsync(analysis.Request.CallbackTopic, message, () => { tracker.Complete(offset); Telemetry.BifrostMetrics.ResultPublished(analysis.Request.CallbackTopic, record.Message.Timestamp, analysis.Request.ReceivedAt); },
                error => _ = PublishDeadLetterAsync(record, tracker, ErrorCodes.PublishFailed, $"result could not be published to {analysis.Request.CallbackTopic}: {error.Code} {error.Reason}",
                    Math.Max(1, analysis.Attempts), request.RequestId, request.CorrelationId, request.LogId, true, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PublishDeadLetterAsync(record, tracker, ErrorCodes.AnalysisFailed, analysis.Error ?? "analysis failed", Math.Max(1, analysis.Attempts),
                request.RequestId, request.CorrelationId, request.LogId, true, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task PublishDeadLetterAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, string errorCode, string errorMessage, int attempts,
        string? requestId, string? correlationId, long? logId, bool payloadIsObject, CancellationToken cancellationToken)
    {
        var timestamp = record.Message.Timestamp;
        var letter = new DeadLetter(
            errorCode, errorMessage, _time.UtcNowMilliseconds(), attempts,
            record.Topic, record.Partition.Value, record.Offset.Value,
            timestamp.Type == TimestampType.NotAvailable ? null : DateTimeOffset.FromUnixTimeMilliseconds(timestamp.UnixTimestampMs),
            record.Message.Key, _kafka.GroupId, requestId, correlationId, logId, record.Message.Value, payloadIsObject);
        return PublishDeadLetterAsync(letter, tracker, cancellationToken);
    }

    private Task PublishDeadLetterAsync(DeadLetter letter, OffsetTracker tracker, CancellationToken cancellationToken)
    {
        var message = new Message<byte[]?, byte[]?>
        {
            Key = letter.OriginalKey,
            Value = DeadLetterMessage.Value(letter),
            Headers = _kafka.DlqHeaders ? DeadLetterMessage.Headers(letter) : null,
        };
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
                }, tracker, cancellationToken);
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
}
