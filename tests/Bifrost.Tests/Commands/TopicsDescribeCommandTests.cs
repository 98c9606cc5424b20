using Bifrost.Commands;

namespace Bifrost.Tests.Operations;

public class TopicsDescribeCommandTests
{
    [Fact]
    public async Task Describe_OnKafka09_FallsBackToMetadata()
    {
        var topic = KafkaTestClient.UniqueTopic("ops.describe");
        using (var producer = KafkaTestClient.Producer())
        {
            await producer.ProduceAsync(topic, new Confluent.Kafka.Message<string?, string> { Value = "{}" }); // 0.9 auto-creates it
        }

        var output = new StringWriter();
        var code = await TopicsDescribeCommand.RunAsync(KafkaCli.Options(TestServices.Kafka, KafkaTestClient.Broker09), [topic], TimeSpan.FromSeconds(20), output, CancellationToken.None);

        Assert.Equal(0, code);
        var row = output.ToString().Split('\n').Single(l => l.StartsWith(topic, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["3", "1", "unknown"], row[1..4]); // test broker: num.partitions=3, one broker
        Assert.Contains("cannot describe configs", output.ToString());
    }

    [Fact]
    public async Task Describe_MissingTopic_ExitsOneWithoutCreatingIt()
    {
        var topic = KafkaTestClient.UniqueTopic("ops.absent");
        var output = new StringWriter();

        var kafka = KafkaCli.Options(TestServices.Kafka, KafkaTestClient.Broker09);
        var code = await TopicsDescribeCommand.RunAsync(kafka, [topic], TimeSpan.FromSeconds(20), output, CancellationToken.None);
        var again = await TopicsDescribeCommand.RunAsync(kafka, [topic], TimeSpan.FromSeconds(20), new StringWriter(), CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Equal(1, again); // describing must not have auto-created it
        Assert.Contains("missing", output.ToString());
    }

    [Theory]
    [InlineData(3, 2, 604800000L, "ok")]
    [InlineData(3, 1, null, "replication 1 (contract 2)")]
    [InlineData(6, 2, 86400000L, "partitions 6 (contract 3); retention.ms 86400000 (contract 604800000)")]
    public void Compare_NamesEveryDifferenceFromTheContract(int partitions, int replication, long? retention, string expected) =>
        Assert.Equal(expected, TopicsDescribeCommand.Compare(new TopicSpec("analysis.request", partitions, replication, retention), TopicsDescribeCommand.Contract(new Bifrost.Configuration.TopicsOptions())));

    [Theory]
    [InlineData("false", "0.9.0.1", true)]
    [InlineData("false", "0.10.2", true)]
    [InlineData("false", "0.11.0", false)]
    [InlineData("true", "0.9.0.1", false)]
    public void PredatesDescribeConfigs_FollowsTheConfiguredBrokerVersion(string apiVersionRequest, string fallback, bool expected) =>
        Assert.Equal(expected, TopicsDescribeCommand.PredatesDescribeConfigs(new Dictionary<string, string>
        {
            ["api.version.request"] = apiVersionRequest,
            ["broker.version.fallback"] = fallback,
        }));
}
