using Bifrost.Configuration;
using Bifrost.Messaging;
using Bifrost.Storage;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Analyses;

/// <summary>
/// Publishes REST/gRPC results to <c>kafka.topics.result</c> (analysis.result) exactly as Kafka requests'
/// results are (same envelope, keyed by log_id), through the pipeline's one producer. The caller does not
/// wait for the broker: the result is already stored, and the producer retries until it is acknowledged.
/// </summary>
public sealed partial class KafkaResultPublisher(KafkaPublisher publisher, IOptions<KafkaOptions> kafka, ILogger<KafkaResultPublisher> logger)
    : IApiResultPublisher
{
    public Task PublishAsync(StoredAnalysis analysis, CancellationToken ct)
    {
        var topic = kafka.Value.Topics.Result;
        var message = new Message<byte[]?, byte[]?> { Key = ResultMessage.Key(analysis.Request.LogId), Value = ResultMessage.Value(analysis) };
        return publisher.PublishAsync(topic, message, static () => { }, error => LogPublishFailed(logger, analysis.Id, topic, error.Reason), CancellationToken.None);
    }

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Result of API analysis {AnalysisId} could not be published to {Topic}: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, long analysisId, string topic, string reason);
}
