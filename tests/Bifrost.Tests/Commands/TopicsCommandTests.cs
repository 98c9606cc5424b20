using Bifrost.Commands;
using Bifrost.Configuration;

namespace Bifrost.Tests.Pipeline;

public class TopicsCommandTests
{
    [Fact]
    public void Specifications_FollowTheContract()
    {
        var specs = TopicsCommand.Specifications(new TopicsOptions(), null);
        Assert.Equal(
            [("analysis.request", 3, (short)2, "604800000"), ("analysis.result", 3, (short)2, "604800000"), ("dlq.failed", 1, (short)2, "2592000000")],
            specs.Select(s => (s.Name, s.NumPartitions, s.ReplicationFactor, s.Configs["retention.ms"])));
        Assert.All(TopicsCommand.Specifications(new TopicsOptions(), 1), s => Assert.Equal(1, s.ReplicationFactor));
    }

    [Fact]
    public async Task Create_On09Broker_SaysItCannot()
    {
        var kafka = new KafkaOptions { BootstrapServers = TestServices.Kafka };
        foreach (var (key, value) in KafkaTestClient.Broker09)
        {
            kafka.Consumer[key] = value;
        }

        var output = new StringWriter();
        Assert.Equal(1, await TopicsCommand.RunAsync(kafka, 1, output, default));
        Assert.Contains("no CreateTopics API", output.ToString());
    }
}
