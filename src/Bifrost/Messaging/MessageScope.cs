using System.Collections;

namespace Bifrost.Messaging;

/// <summary>Logging scope for every line about one message: request_id, correlation_id, log_id and where it was read.</summary>
internal sealed class MessageScope(string? requestId, string? correlationId, long? logId, string topic, int partition, long offset)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    private KeyValuePair<string, object?>[] Items =>
    [
        new("request_id", requestId),
        new("correlation_id", correlationId),
        new("log_id", logId),
        new("kafka_topic", topic),
        new("kafka_partition", partition),
        new("kafka_offset", offset),
    ];

    public int Count => 6;

    public KeyValuePair<string, object?> this[int index] => Items[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"request_id={requestId} correlation_id={correlationId} log_id={logId} {topic}[{partition}]@{offset}";
}
