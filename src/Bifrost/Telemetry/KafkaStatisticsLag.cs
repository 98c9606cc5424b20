using System.Globalization;
using System.Text.Json;

namespace Bifrost.Telemetry;

/// <summary>Consumer lag of one assigned partition, as librdkafka last computed it.</summary>
public readonly record struct PartitionLag(string Topic, int Partition, long Lag);

/// <summary>
/// Reads per-partition consumer lag out of librdkafka's statistics JSON (the string handed to
/// <c>SetStatisticsHandler</c> every <c>statistics.interval.ms</c>). Pure: JSON in, lags out.
/// See librdkafka STATISTICS.md: <c>topics.&lt;name&gt;.partitions.&lt;id&gt;.consumer_lag</c> is
/// <c>hi_offset - committed_offset</c> and <c>consumer_lag_stored</c> is <c>hi_offset - stored_offset</c>;
/// either is -1 while unknown. A fresh group has no committed offset until its first commit, so the
/// stored lag (offsets stored after processing) stands in until then.
/// </summary>
public static class KafkaStatisticsLag
{
    public static IReadOnlyList<PartitionLag> Parse(string statisticsJson)
    {
        var lags = new List<PartitionLag>();
        if (string.IsNullOrWhiteSpace(statisticsJson))
        {
            return lags;
        }

        using var doc = JsonDocument.Parse(statisticsJson);
        if (!doc.RootElement.TryGetProperty("topics", out var topics) || topics.ValueKind != JsonValueKind.Object)
        {
            return lags;
        }

        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions) || partitions.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var partition in partitions.EnumerateObject())
            {
                // "-1" is librdkafka's internal UnAssigned partition; lag -1 means "not known yet" (no
                // committed offset or no fetch yet) — reporting it as a number would fake a value.
                if (!int.TryParse(partition.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id < 0)
                {
                    continue;
                }

                if (Known(partition.Value, "consumer_lag") is { } committedLag)
                {
                    lags.Add(new PartitionLag(topic.Name, id, committedLag));
                }
                else if (Known(partition.Value, "consumer_lag_stored") is { } storedLag)
                {
                    lags.Add(new PartitionLag(topic.Name, id, storedLag));
                }
            }
        }

        return lags;
    }

    private static long? Known(JsonElement partition, string property) =>
        partition.TryGetProperty(property, out var lag) && lag.TryGetInt64(out var value) && value >= 0 ? value : null;
}
