using Bifrost.Telemetry;

namespace Bifrost.Tests.Telemetry;

public class BifrostMetricsTests
{
    [Fact]
    public void RequestConsumed_CountsPerTopic()
    {
        using var collector = new MetricCollector("bifrost.requests.consumed");

        BifrostMetrics.RequestConsumed("metrics.test.consumed");
        BifrostMetrics.RequestConsumed("metrics.test.consumed");

        Assert.Equal(2, collector.Measurements.Where(m => Equals(m.Tag("messaging.destination.name"), "metrics.test.consumed")).Sum(m => m.Value));
    }

    [Fact]
    public void DlqRecord_TagsErrorCode()
    {
        using var collector = new MetricCollector("bifrost.dlq.records");

        BifrostMetrics.DlqRecord("METRICS_TEST_CODE");

        Assert.Single(collector.Measurements, m => Equals(m.Tag("error_code"), "METRICS_TEST_CODE"));
    }

    [Fact]
    public void AnalysisCompleted_CountsAndRecordsDuration()
    {
        using var counted = new MetricCollector("bifrost.analyses");
        using var timed = new MetricCollector("bifrost.analysis.duration");

        BifrostMetrics.AnalysisCompleted("metrics-test-engine", "database.connection", "HIGH", 0.25);

        var count = Assert.Single(counted.Measurements, m => Equals(m.Tag("engine"), "metrics-test-engine"));
        Assert.Equal("database.connection", count.Tag("category"));
        Assert.Equal("HIGH", count.Tag("severity"));
        Assert.Equal(0.25, Assert.Single(timed.Measurements, m => Equals(m.Tag("engine"), "metrics-test-engine")).Value);
    }

    [Fact]
    public void ResultPublished_RecordsLatencySinceRequest()
    {
        using var latency = new MetricCollector("bifrost.request.latency");

        BifrostMetrics.ResultPublished("metrics.test.result", DateTimeOffset.UtcNow.AddSeconds(-90));

        // Other tests publish concurrently; only this one sends a 90 s old request.
        Assert.Contains(latency.Measurements, m => m.Value is >= 90 and < 3600);
    }

    [Fact]
    public void InFlight_SumsRegisteredWorkersUntilTheyStop()
    {
        using var collector = new MetricCollector("bifrost.requests.in_flight");
        var before = BifrostMetrics.InFlight.Total();

        using (BifrostMetrics.RegisterInFlight(() => 1_000_000))
        {
            collector.RecordObservableInstruments();
            Assert.Equal(before + 1_000_000, BifrostMetrics.InFlight.Total());
        }

        Assert.Contains(collector.Measurements, m => m.Value >= 1_000_000);
        Assert.True(BifrostMetrics.InFlight.Total() < 1_000_000);
    }

    [Fact]
    public void TimeDb_RecordsOneDurationWithOperationAndSystem()
    {
        using var collector = new MetricCollector("bifrost.db.operation.duration");

        using (BifrostMetrics.TimeDb("metrics-test-op", "postgresql"))
        {
        }

        var measurement = Assert.Single(collector.Measurements, m => Equals(m.Tag("db.operation.name"), "metrics-test-op"));
        Assert.Equal("postgresql", measurement.Tag("db.system.name"));
        Assert.True(measurement.Value >= 0);
    }
}
