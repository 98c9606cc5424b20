using System.Text.Json.Nodes;
using Bifrost.Telemetry;

namespace Bifrost.Tests.Telemetry;

public class KafkaStatisticsLagTests
{
    // Captured from a real librdkafka 2.x consumer (Confluent.Kafka 2.16) on the test Kafka 0.9 broker:
    // 30 records over 3 partitions, all consumed, offset 10 committed on partition 2 only.
    private static readonly string Sample = File.ReadAllText(RepoPaths.Of("tests", "Bifrost.Tests", "Telemetry", "Data", "librdkafka-consumer-statistics.json"));

    [Fact]
    public void Parse_RealStatistics_ReturnsLagPerAssignedPartition()
    {
        var lags = KafkaStatisticsLag.Parse(Sample).OrderBy(l => l.Partition).ToList();

        Assert.Equal(
            [new PartitionLag("analysis.request", 0, 0), new PartitionLag("analysis.request", 1, 0), new PartitionLag("analysis.request", 2, 2)],
            lags);
    }

    [Fact]
    public void Parse_CommittedLagKnown_PrefersItOverStoredLag()
    {
        var json = JsonNode.Parse(Sample)!;
        var partition = json["topics"]!["analysis.request"]!["partitions"]!["0"]!;
        partition["consumer_lag"] = 7;
        partition["consumer_lag_stored"] = 3;

        var lag = KafkaStatisticsLag.Parse(json.ToJsonString()).Single(l => l.Partition == 0);

        Assert.Equal(7, lag.Lag);
    }

    [Fact]
    public void Parse_LagUnknown_LeavesPartitionOut()
    {
        var json = JsonNode.Parse(Sample)!;
        var partition = json["topics"]!["analysis.request"]!["partitions"]!["1"]!;
        partition["consumer_lag"] = -1;
        partition["consumer_lag_stored"] = -1;

        var lags = KafkaStatisticsLag.Parse(json.ToJsonString());

        Assert.DoesNotContain(lags, l => l.Partition == 1);
        Assert.DoesNotContain(lags, l => l.Partition < 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"topics\":{}}")]
    [InlineData("{\"topics\":{\"t\":{\"partitions\":{}}}}")]
    public void Parse_NoAssignedPartitions_ReturnsEmpty(string json) => Assert.Empty(KafkaStatisticsLag.Parse(json));

    [Fact]
    public void ConsumerStatistics_FeedsTheLagGauge()
    {
        var json = JsonNode.Parse(Sample)!;
        json["topics"] = new JsonObject { ["lag.gauge.test"] = JsonNode.Parse("{\"partitions\":{\"4\":{\"consumer_lag\":41}}}") };
        using var collector = new MetricCollector("bifrost.consumer.lag");

        BifrostMetrics.ConsumerStatistics(json.ToJsonString());
        collector.RecordObservableInstruments();

        var measurement = Assert.Single(collector.Measurements, m => Equals(m.Tag("messaging.destination.name"), "lag.gauge.test"));
        Assert.Equal(41, measurement.Value);
        Assert.Equal("4", measurement.Tag("messaging.destination.partition.id"));
    }
}
