using Confluent.Kafka;

namespace Bifrost.Messaging.Dlq;

/// <summary>
/// Sends a dead-lettered message back for analysis once its cause is fixed: the original value (payload or
/// payload_raw) with the original key, to the request topic. Re-driving twice is harmless: the pipeline
/// deduplicates by request_id.
/// </summary>
public sealed class DlqRedriver(DlqKafkaSettings settings) : IDisposable
{
    private readonly Lazy<IProducer<byte[]?, byte[]>> _producer = new(settings.BuildProducer);

    /// <summary>Where the re-driven message landed on the request topic.</summary>
    public async Task<TopicPartitionOffset> RedriveAsync(DlqEnvelope record, CancellationToken cancellationToken)
    {
        var value = record.OriginalValue()
            ?? throw new InvalidOperationException("The dead-letter record kept no payload to re-drive.");
        var result = await _producer.Value.ProduceAsync(
            settings.RequestTopic,
            new Message<byte[]?, byte[]> { Key = record.OriginalKeyBytes(), Value = value },
            cancellationToken).ConfigureAwait(false);
        return result.TopicPartitionOffset;
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }
}
