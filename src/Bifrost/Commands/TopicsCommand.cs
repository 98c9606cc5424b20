using System.CommandLine;
using Bifrost.Configuration;
using Bifrost.Messaging;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Configuration;

namespace Bifrost.Commands;

/// <summary><c>bifrost topics create</c>: the contract's three topics with their partitions, replication and retention.</summary>
internal static class TopicsCommand
{
    private const long Day = 86_400_000;

    /// <summary>From the contract README's topic table.</summary>
    public static IReadOnlyList<TopicSpecification> Specifications(TopicsOptions topics, short? replicationFactor) =>
    [
        Spec(topics.Request, 3, replicationFactor ?? 2, 7 * Day),
        Spec(topics.Result, 3, replicationFactor ?? 2, 7 * Day),
        Spec(topics.Dlq, 1, replicationFactor ?? 2, 30 * Day),
    ];

    private static TopicSpecification Spec(string name, int partitions, short replication, long retentionMs) => new()
    {
        Name = name,
        NumPartitions = partitions,
        ReplicationFactor = replication,
        Configs = new Dictionary<string, string> { ["retention.ms"] = retentionMs.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml to read (default: $BIFROST_CONFIG, then ./config.yaml if present)" };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "overrides kafka.bootstrap_servers" };
        var replication = new Option<short?>("--replication-factor") { Description = "overrides the contract's replication factor (2), e.g. 1 for a single-broker dev cluster" };
        var create = new Command("create", "Create analysis.request, analysis.result and dlq.failed as the contract specifies.") { config, bootstrap, replication };
        create.SetAction(async (parse, ct) =>
        {
            try
            {
                var env = BifrostConfiguration.ProcessEnvironment();
                var file = BifrostConfiguration.ResolveConfigFile(parse.GetValue(config)?.FullName, n => env.TryGetValue(n, out var v) ? v : null, Directory.GetCurrentDirectory());
                var kafka = new KafkaOptions();
                BifrostConfiguration.Build(file, env).GetSection(KafkaOptions.Section).Bind(kafka);
                if (parse.GetValue(bootstrap) is { Length: > 0 } servers)
                {
                    kafka.BootstrapServers = servers;
                }

                return await RunAsync(kafka, parse.GetValue(replication), Console.Out, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ConfigurationErrors.Describe(ex) is { } line)
            {
                await Console.Error.WriteLineAsync($"invalid configuration: {line}").ConfigureAwait(false);
                return ServeCommand.InvalidConfiguration;
            }
        });
        return new Command("topics", "Manage the Kafka topics Bifrost uses.") { create };
    }

    public static async Task<int> RunAsync(KafkaOptions kafka, short? replicationFactor, TextWriter output, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
        {
            await output.WriteLineAsync("kafka.bootstrap_servers is not configured (set KAFKA_BOOTSTRAP_SERVERS or --bootstrap-servers)").ConfigureAwait(false);
            return ServeCommand.InvalidConfiguration;
        }

        var admin = KafkaClientConfig.Admin(kafka);
        admin.SocketTimeoutMs = 10_000;
        using var client = new AdminClientBuilder(admin).SetLogHandler((_, _) => { }).Build();
        var specifications = Specifications(kafka.Topics, replicationFactor);
        try
        {
            await client.CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10), OperationTimeout = TimeSpan.FromSeconds(10) }).WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var s in specifications)
            {
                await output.WriteLineAsync($"created {s.Name} (partitions {s.NumPartitions}, replication {s.ReplicationFactor}, retention.ms {s.Configs["retention.ms"]})").ConfigureAwait(false);
            }

            return 0;
        }
        catch (CreateTopicsException ex)
        {
            var failed = 0;
            foreach (var r in ex.Results)
            {
                var spec = specifications.First(s => s.Name == r.Topic);
                if (r.Error.Code is ErrorCode.NoError)
                {
                    await output.WriteLineAsync($"created {r.Topic} (partitions {spec.NumPartitions}, replication {spec.ReplicationFactor})").ConfigureAwait(false);
                }
                else if (r.Error.Code is ErrorCode.TopicAlreadyExists)
                {
                    await output.WriteLineAsync($"exists  {r.Topic}").ConfigureAwait(false);
                }
                else
                {
                    failed++;
                    var hint = r.Error.Code == ErrorCode.InvalidReplicationFactor ? " (fewer brokers than the replication factor? try --replication-factor 1)" : "";
                    await output.WriteLineAsync($"failed  {r.Topic}: {r.Error.Code} {r.Error.Reason}{hint}").ConfigureAwait(false);
                }
            }

            return failed == 0 ? 0 : 1;
        }
        catch (KafkaException ex)
        {
            await output.WriteLineAsync(
                $"cannot create topics on {kafka.BootstrapServers}: {ex.Error.Code} {ex.Error.Reason}. " +
                "Brokers before 0.10.1 (such as the 0.9 test broker) have no CreateTopics API: create the topics with the broker's own tools " +
                "or let the broker auto-create them on first use (auto.create.topics.enable).").ConfigureAwait(false);
            return 1;
        }
    }
}
