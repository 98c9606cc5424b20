using Bifrost.Configuration;
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
public sealed partial class MessageHandler
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
        var allowed = new HashSet<string>(heimdall.Value.AllowedCallbackTopics, StringComparer.Ordinal) { heimdall.Value.CallbackTopic };
        _parser = new RequestParser(_kafka.MaxMessageBytes, allowed, heimdall.Value.CallbackTopic);
    }

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
        await PublishOutcomeAsync(record, tracker, request, result, cancellationToken).ConfigureAwait(false);
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
                await PublishOutcomeAsync(record, tracker, request, result, cancellationToken).ConfigureAwait(false);
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
        await PublishDeadLetterAsync(record, tracker, rejection.ErrorCode, rejection.Message, 1, rejection.RequestId, rejection.CorrelationId, rejection.LogId, rejection.PayloadIsObject, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A bug must not stall the partition: the record goes to the DLQ with what went wrong.</summary>
    private Task FailUnexpectedAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, AnalysisSubmission request, Exception ex, CancellationToken cancellationToken)
    {
        LogUnexpected(ex.GetType().Name, ex.Message);
        return PublishDeadLetterAsync(record, tracker, ErrorCodes.AnalysisFailed, $"internal error: {ex.GetType().Name}: {ex.Message}", 1, request.RequestId, request.CorrelationId, request.LogId, true, cancellationToken);
    }

    private async Task PublishOutcomeAsync(ConsumeResult<byte[]?, byte[]?> record, OffsetTracker tracker, AnalysisSubmission request, PipelineResult result, CancellationToken cancellationToken)
    {
        var offset = record.Offset.Value;
        var analysis = result.Analysis;
        if (analysis.Status == AnalysisStatus.COMPLETED)
        {
            // The publish span's context travels with the result (W3C traceparent), continuing the request's trace;
            // without a span, the request's own context does. Neither: no headers object at all.
            var headers = _kafka.TraceHeaders && (Telemetry.BifrostTracing.Pipeline.HasListeners() || record.Message.Headers is { Count: > 0 }) ? new Headers() : null;
            LogCompleted(analysis.Id, result.Reused);
            using var publishSpan = Telemetry.BifrostTracing.StartPublish(analysis.Request.CallbackTopic, headers);
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
                error => _ = PublishDeadLetterAsync(record, tracker, "PUBLISH_FAILED", $"result could not be published to {analysis.Request.CallbackTopic}: {error.Code} {error.Reason}",
                    Math.Max(1, analysis.Attempts), request.RequestId, request.CorrelationId, request.LogId, true, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PublishDeadLetterAsync(record, tracker, ErrorCodes.AnalysisFailed, analysis.Error ?? "analysis failed", Math.Max(1, analysis.Attempts),
                request.RequestId, request.CorrelationId, request.LogId, true, cancellationToken).ConfigureAwait(false);
        }
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
        string? requestId, string? correlationId, long? logId, bool payloadIsObject, CancellationToken cancellationToken)
    {
        var timestamp = record.Message.Timestamp;
        var letter = new DeadLetter(
            errorCode, errorMessage, Pipeline.AnalysisPipeline.TruncateToMilliseconds(_time.GetUtcNow()), attempts,
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
