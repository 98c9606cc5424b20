using Bifrost.Common;
using Bifrost.Configuration;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Bifrost.Messaging;

/// <summary>
/// The one producer (acks=all, retries; idempotent on modern brokers). Publishing is asynchronous: the caller
/// hands over a record and a callback that runs when the broker acknowledged it — no per-message wait, so
/// librdkafka batches freely. A failed delivery is produced again after a backoff (never dropped); a
/// permanent rejection (record too large, topic not allowed) goes to the caller's fallback.
/// </summary>
public sealed partial class KafkaPublisher : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly ILogger<KafkaPublisher> _logger;
    private readonly Backoff _backoff;

    public KafkaPublisher(IOptions<KafkaOptions> kafka, IOptions<AnalysisOptions> analysis, ILogger<KafkaPublisher> logger)
    {
        _logger = logger;
        _backoff = new Backoff(TimeSpan.FromSeconds(Math.Max(0.1, analysis.Value.RetryBackoffSeconds)), MaxBackoff);
        try
        {
            _producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfig.Producer(kafka.Value))
                .SetErrorHandler((_, e) => LogProducerError(e.Code, e.Reason, e.IsFatal))
                .SetLogHandler((_, m) => LogClient(m.Facility, m.Message))
                .Build();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new ConfigurationException("kafka.producer", $"kafka.producer: {ex.Message}");
        }
    }

    internal IProducer<byte[]?, byte[]?> Producer => _producer;

    /// <summary>Enqueues a record; <paramref name="acknowledged"/> runs once the broker has it.</summary>
    public Task PublishAsync(string topic, Message<byte[]?, byte[]?> message, Action acknowledged, Action<Error> permanentFailure, CancellationToken cancellationToken)
        => ProduceAsync(topic, message, acknowledged, permanentFailure, attempt: 1, cancellationToken);

    private async Task ProduceAsync(string topic, Message<byte[]?, byte[]?> message, Action acknowledged, Action<Error> permanentFailure, int attempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, report =>
                {
                    if (!report.Error.IsError)
                    {
                        acknowledged();
                    }
                    else if (IsPermanent(report.Error))
                    {
                        LogPermanentFailure(topic, report.Error.Code, report.Error.Reason);
                        permanentFailure(report.Error);
                    }
                    else
                    {
                        var backoff = _backoff.Delay(attempt);
                        LogDeliveryRetry(topic, attempt, backoff.TotalSeconds, report.Error.Code, report.Error.Reason);
                        Telemetry.BifrostMetrics.Retry("publish");
                        _ = RetryLaterAsync(topic, message, acknowledged, permanentFailure, attempt + 1, backoff, cancellationToken);
                    }
                });
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's queue is the back-pressure: wait for deliveries to drain it.
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
            catch (ProduceException<byte[]?, byte[]?> ex) when (IsPermanent(ex.Error))
            {
                LogPermanentFailure(topic, ex.Error.Code, ex.Error.Reason);
                permanentFailure(ex.Error);
                return;
            }
        }
    }

    private async Task RetryLaterAsync(string topic, Message<byte[]?, byte[]?> message, Action acknowledged, Action<Error> permanentFailure, int attempt, TimeSpan backoff, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            await ProduceAsync(topic, message, acknowledged, permanentFailure, attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the offset was never stored, so the message is consumed again after restart.
        }
        catch (Exception ex)
        {
            LogRetryFailed(topic, ex.GetType().Name, ex.Message);
        }
    }

    private static bool IsPermanent(Error error) => error.Code is
        ErrorCode.MsgSizeTooLarge or ErrorCode.TopicAuthorizationFailed or
        ErrorCode.TopicException or ErrorCode.Local_InvalidArg or ErrorCode.InvalidRecord or ErrorCode.UnsupportedForMessageFormat or
        ErrorCode.Local_UnsupportedFeature or ErrorCode.RecordListTooLarge;

    /// <summary>Waits for every queued record's delivery report (shutdown).</summary>
    public void Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Delivery to {Topic} failed (attempt {Attempt}), producing again in {BackoffSeconds}s: {Code} {Reason}")]
    private partial void LogDeliveryRetry(string topic, int attempt, double backoffSeconds, ErrorCode code, string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Broker rejected a record for {Topic} permanently: {Code} {Reason}")]
    private partial void LogPermanentFailure(string topic, ErrorCode code, string reason);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Producer error: {Code} {Reason} (fatal: {Fatal})")]
    private partial void LogProducerError(ErrorCode code, string reason, bool fatal);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Debug, Message = "librdkafka producer {Facility}: {Message}")]
    private partial void LogClient(string facility, string message);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Error, Message = "Re-producing to {Topic} failed: {ErrorType}: {Error}")]
    private partial void LogRetryFailed(string topic, string errorType, string error);
}
