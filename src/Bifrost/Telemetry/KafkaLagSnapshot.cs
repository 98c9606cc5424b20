using System.Diagnostics.Metrics;

namespace Bifrost.Telemetry;

/// <summary>
/// The latest lag per partition, swapped whole on each statistics callback and read by the observable
/// gauge at scrape time. Partitions that leave the assignment disappear with the next statistics report.
/// </summary>
public sealed class KafkaLagSnapshot
{
    private volatile IReadOnlyList<PartitionLag> _current = [];

    public IReadOnlyList<PartitionLag> Current => _current;

    public void Update(IReadOnlyList<PartitionLag> lags) => _current = lags;

    internal IEnumerable<Measurement<long>> Observe()
    {
        foreach (var lag in _current)
        {
            yield return new Measurement<long>(lag.Lag,
                new KeyValuePair<string, object?>(SemanticConventions.MessagingDestinationName, lag.Topic),
                new KeyValuePair<string, object?>(SemanticConventions.MessagingDestinationPartitionId, lag.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
